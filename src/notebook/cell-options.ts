/**
 * Options written after `cell` in a fence's info string, e.g.
 * ```` ```js cell hide readonly id=shifted-accuracy ````.
 *
 * A cell has a role, which decides how it first presents itself (the reader
 * can always show, edit and reset its code):
 * - `teach`: code a learner should read and edit; its code is shown.
 * - `plumbing` (or its older name `hide`): drawing, loading and bookkeeping;
 *   its code is folded to a one-line summary with "Show code".
 * Without either, `cellRole` infers it from the code (see there).
 *
 * - `show`: print the value of a named cell even when it is not a figure
 *   (by default a named cell's plain value that other cells read is folded
 *   behind "Show value"; figures, inputs, unnamed cells and values no other
 *   cell reads always show).
 * - `readonly`: the reader cannot edit it (still can show it).
 * - `norun`: the cell waits for the reader to press Run (for heavy work).
 * - `id=NAME`: a stable id for the cell (defaults to its position on the page).
 * - `output=below`: put the output below the code instead of above it.
 */
export interface CellOptions {
  /** Fold the code (the `plumbing` role, or the older `hide`). */
  hide: boolean;
  /** The role the author chose, if any. */
  role?: CellRole;
  /** Print a named cell's plain value without asking. */
  show: boolean;
  readonly: boolean;
  norun: boolean;
  id?: string;
  outputBelow: boolean;
}

export type CellRole = 'teach' | 'plumbing';

export const CELL_FLAGS = ['hide', 'readonly', 'norun', 'teach', 'plumbing', 'show'] as const;

/** Code longer than this reads as plumbing unless the author marks it `teach`. */
export const TEACHING_CELL_MAX_LINES = 30;

/**
 * What builds a page element: d3, Plot, Inputs, the stdlib's DOM and html/svg/md/tex
 * templates, the course's drawing (`viz`) and widget (`ui`) rooms. A cell
 * using them is drawing a figure, and its code is plumbing for the reader.
 */
const FIGURE_CODE = /\b(?:d3|Plot|Inputs|DOM|document|html|svg|md|tex|htl|viz|ui|liveTraining)\b/;

/**
 * The role of a cell: the author's choice, else inferred from its code. A
 * short cell (at most TEACHING_CELL_MAX_LINES lines) that builds no page
 * element is the computation the lesson teaches; anything else (figures,
 * knobs, long set-up) is plumbing. The rule is deliberately simple so an
 * author can predict it, and overrides it with `teach` or `plumbing`.
 */
export function cellRole(code: string, options: Pick<CellOptions, 'role' | 'hide'>): CellRole {
  if (options.role) return options.role;
  if (options.hide) return 'plumbing';
  const lines = code.replace(/\n+$/, '').split('\n').length;
  if (lines > TEACHING_CELL_MAX_LINES) return 'plumbing';
  if (/^\s*viewof\s/.test(code)) return 'plumbing';
  return FIGURE_CODE.test(code) ? 'plumbing' : 'teach';
}

/** The name a cell defines (`x = …`, `viewof x = …`, `mutable x = …`), past any opening comments; null for an unnamed cell. */
export function definedName(code: string): string | null {
  const body = code.replace(/^(?:\s*\/\/[^\n]*\n)*/, '');
  return /^\s*(?:viewof\s+|mutable\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(body)?.[1] ?? null;
}

/**
 * Whether any of `others` (the page's other cells) reads `name`. A named
 * value no other cell reads is the cell's readout, so it is printed; one
 * that feeds later cells waits behind "Show value".
 */
export function isReadElsewhere(name: string, others: string[]): boolean {
  const word = new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  return others.some((code) => word.test(code));
}

/**
 * The one-line summary a folded cell shows: its first comment if it opens
 * with one, else what it defines, and its length.
 */
export function cellSummary(code: string): string {
  const lines = code.replace(/\n+$/, '').split('\n');
  const comment = /^\s*\/\/\s*(.+)$/.exec(lines[0] ?? '')?.[1]?.trim();
  const defined = definedName(code);
  const what = comment ?? (defined ? `defines ${defined}` : 'code');
  return `${what} · ${lines.length} line${lines.length === 1 ? '' : 's'}`;
}

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
  const options: CellOptions = { hide: false, show: false, readonly: false, norun: false, outputBelow: false };
  for (const word of words) {
    if (word === 'hide' || word === 'plumbing') {
      options.hide = true;
      options.role = 'plumbing';
    } else if (word === 'teach') options.role = 'teach';
    else if (word === 'show') options.show = true;
    else if (word === 'readonly') options.readonly = true;
    else if (word === 'norun') options.norun = true;
    else if (word === 'output=below') options.outputBelow = true;
    else if (word.startsWith('id=') && /^id=[\w-]+$/.test(word)) options.id = word.slice(3);
    else {
      throw new Error(
        `Unknown cell option '${word}' in \`${info.trim()}\`. Known options: teach, plumbing (or hide), show, readonly, norun, output=below, id=NAME.`,
      );
    }
  }
  return options;
}
