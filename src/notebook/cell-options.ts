/**
 * Options written after `cell` in a fence's info string, e.g.
 * ```` ```js cell hide readonly id=shifted-accuracy ````.
 *
 * - `hide`: the code starts collapsed (the reader can show it).
 * - `readonly`: the reader cannot edit it (still can show it).
 * - `norun`: the cell waits for the reader to press Run (for heavy work).
 * - `id=NAME`: a stable id for the cell (defaults to its position on the page).
 * - `output=below`: put the output below the code instead of above it.
 */
export interface CellOptions {
  hide: boolean;
  readonly: boolean;
  norun: boolean;
  id?: string;
  outputBelow: boolean;
}

export const CELL_FLAGS = ['hide', 'readonly', 'norun'] as const;

/** Languages a cell fence may declare; all of them run as Observable JavaScript. */
const CELL_LANGS = new Set(['js', 'javascript', 'ojs']);

/** True for an info string such as `js cell` or `ojs cell hide`. */
export function isCellInfo(info: string): boolean {
  const [lang, marker] = info.trim().split(/\s+/);
  return CELL_LANGS.has(lang ?? '') && marker === 'cell';
}

/** Reads the options of a cell fence; unknown words are errors so a typo does not pass silently. */
export function parseCellOptions(info: string): CellOptions {
  const words = info.trim().split(/\s+/).slice(2);
  const options: CellOptions = { hide: false, readonly: false, norun: false, outputBelow: false };
  for (const word of words) {
    if (word === 'hide') options.hide = true;
    else if (word === 'readonly') options.readonly = true;
    else if (word === 'norun') options.norun = true;
    else if (word === 'output=below') options.outputBelow = true;
    else if (word.startsWith('id=') && /^id=[\w-]+$/.test(word)) options.id = word.slice(3);
    else {
      throw new Error(
        `Unknown cell option '${word}' in \`${info.trim()}\`. Known options: hide, readonly, norun, output=below, id=NAME.`,
      );
    }
  }
  return options;
}
