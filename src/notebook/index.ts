import type { Namespace } from './builtins';
import type { PageNotebook } from './page-notebook';

/**
 * The cell engine's front file: what the site uses of it. The engine knows
 * nothing of the course: the site hands it a namespace. Only light modules
 * load statically from here; the runtime, parser and stdlib load with the
 * first cell of a page (`createPageNotebook`), so pages without cells stay
 * small.
 */
export { invalidNumberMessage, type NumberBox } from './input-notice';
export { cellRole, cellSummary, definedName, isReadElsewhere, isCellInfo, parseCellOptions, TEACHING_CELL_MAX_LINES, type CellOptions, type CellRole } from './cell-options';
export type { Builtins, CellObserver, PageNotebook } from './page-notebook';
export type { Namespace } from './builtins';

/**
 * One page's notebook over `namespace` (what cells read besides the stdlib).
 *
 * @example
 * const nb = await createPageNotebook(() => 720, { names: ['vn'], load: async () => ({ tf, vn }) });
 */
export async function createPageNotebook(contentWidth: () => number, namespace: Namespace): Promise<PageNotebook> {
  const [{ PageNotebook }, { loadBuiltins }] = await Promise.all([import('./page-notebook'), import('./builtins')]);
  return new PageNotebook(await loadBuiltins(contentWidth, namespace));
}
