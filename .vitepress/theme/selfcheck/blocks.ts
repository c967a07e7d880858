/**
 * The ```quiz and ```exercise fenced blocks: parse the body (YAML, which
 * includes JSON), check it, and emit the component tag. Pure over its inputs
 * (the Markdown renderer is passed in), so the transform is unit-tested on
 * strings. Runs at build time only.
 */
import { load } from 'js-yaml';
import { validateQuizItem, type QuizItem } from '../../../src/exercises/index';

/** Renders Markdown to HTML (block) or inline HTML; the plugin passes markdown-it's. */
export interface MdRender {
  block(src: string): string;
  inline(src: string): string;
}

export class SelfCheckBlockError extends Error {
  override name = 'SelfCheckBlockError';
}

/** JSON in a double-quoted attribute: percent-encoding leaves no quote, '<', '&' or '{{' for HTML or Vue to see. */
export function encodeSpec(value: unknown): string {
  return encodeURIComponent(JSON.stringify(value));
}

/** The inverse of `encodeSpec` (used by the components). */
export function decodeSpec<T>(attr: string): T {
  return JSON.parse(decodeURIComponent(attr)) as T;
}

function parseBody(body: string, where: string): unknown {
  try {
    return load(body);
  } catch (e) {
    throw new SelfCheckBlockError(`${where}: the block is not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * A ```quiz block: one item (a mapping) or several (a list). Returns the
 * <Quiz> tags. `nextId` gives ids to items without one ('quiz-1', ...).
 *
 * @example
 * renderQuizBlock('type: single\nprompt: IoU of a box with itself?\nchoices: [0, 1]\nanswer: 1', md, () => 'quiz-1', 'lessons/06/index.md')
 * // '<Quiz spec="%7B%22id%22%3A%22quiz-1%22..." />\n'
 */
export function renderQuizBlock(body: string, md: MdRender, nextId: () => string, where: string): string {
  const parsed = parseBody(body, where);
  const raws = Array.isArray(parsed) ? parsed : [parsed];
  if (raws.length === 0) throw new SelfCheckBlockError(`${where}: empty quiz block`);
  return raws
    .map((raw) => {
      let item: QuizItem;
      try {
        item = validateQuizItem(raw, nextId());
      } catch (e) {
        throw new SelfCheckBlockError(`${where}: ${(e as Error).message}`);
      }
      item.html = {
        prompt: md.block(item.prompt),
        ...(item.explain ? { explain: md.block(item.explain) } : {}),
        ...('choices' in item ? { choices: item.choices.map((c) => md.inline(c)) } : {}),
        ...(item.type === 'ordering' ? { items: item.items.map((c) => md.inline(c)) } : {}),
      };
      return `<Quiz spec="${encodeSpec(item)}" />\n`;
    })
    .join('');
}

export interface ExerciseBlock {
  id: string;
  /** site-root path of the exercise module, e.g. '/lessons/06-boxes-iou-nms/exercises/iou.ts' */
  module: string;
}

/** Resolves `./exercises/iou.ts` against the page's folder into a site-root path. */
export function resolveModulePath(relativePath: string, module: string): string {
  const parts = relativePath.split('/').slice(0, -1);
  for (const seg of module.split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/**
 * A ```exercise block: `id` and `module` (relative to the page). Returns the
 * parsed block; `renderExerciseTag` makes the tag.
 *
 * @example
 * parseExerciseBlock('id: iou\nmodule: ./exercises/iou.ts', 'lessons/06-boxes-iou-nms/index.md')
 * // { id: 'iou', module: '/lessons/06-boxes-iou-nms/exercises/iou.ts' }
 */
export function parseExerciseBlock(body: string, relativePath: string): ExerciseBlock {
  const raw = parseBody(body, relativePath) as Record<string, unknown> | null;
  const bad = (msg: string): never => {
    throw new SelfCheckBlockError(`${relativePath}: exercise block: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad('expected the fields id and module');
  if (typeof raw.id !== 'string' || !/^[\w.-]+$/.test(raw.id)) bad(`'id' must be letters, digits, "-", "_" or ".", got ${JSON.stringify(raw.id)}`);
  if (typeof raw.module !== 'string' || !/^\.{1,2}\/[\w./-]+\.ts$/.test(raw.module)) bad(`'module' must be a relative path to a .ts file such as ./exercises/iou.ts, got ${JSON.stringify(raw.module)}`);
  const module = resolveModulePath(relativePath, raw.module as string);
  if (!/^\/lessons\/[^/]+\/exercises\/[^/]+\.ts$/.test(module)) bad(`'module' must be in the lesson's exercises/ folder (lessons/<lesson>/exercises/<name>.ts), got ${module}`);
  return { id: raw.id as string, module };
}

export function renderExerciseTag(b: ExerciseBlock): string {
  return `<CodeExercise module="${b.module}" exercise-id="${b.id}" />\n`;
}
