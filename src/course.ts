import type * as Library from './library';

/**
 * The course namespace as the site hands it to the cell engine
 * (`loadBuiltins(width, course)`): the names cells read (`vn` and each room
 * of `library.ts` by its own name) and how to load them. The engine never
 * imports this file; `test/course.test.ts` checks `COURSE_NAMES` against
 * `library.ts`, so a room added there cannot be forgotten here.
 */
export const COURSE_NAMES = ['vn', 'core', 'data', 'train', 'models', 'nn', 'pretrained', 'backend', 'ui', 'viz', 'explain'] as const;

/**
 * Loads tfjs and the course library and starts the backend (the one start-up
 * of the page; `useBackend` serialises every later switch), then resolves to
 * `tf`, `vn` and every room by name.
 *
 * @example
 * const builtins = await loadBuiltins(contentWidth, { names: COURSE_NAMES, load: loadCourse });
 */
export async function loadCourse(): Promise<Record<string, unknown>> {
  const [tf, vn, backend] = await Promise.all([import('@tensorflow/tfjs'), import('./library'), import('./backend')]);
  await backend.useBackend();
  // Browser tests and the bench read tfjs's memory and switch backends through this handle.
  (globalThis as Record<string, unknown>).__visionNotebook = { tf, backend };
  const rooms: Partial<Record<(typeof COURSE_NAMES)[number], unknown>> = { vn };
  for (const name of COURSE_NAMES) if (name !== 'vn') rooms[name] = (vn as typeof Library)[name];
  return { tf, ...rooms };
}
