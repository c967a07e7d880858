/**
 * Lazy loaders for every lesson's exercise modules. Vite turns the glob into
 * one small chunk per module, loaded only when a page's <CodeExercise> mounts.
 */
import type { ExerciseDefinition } from '../../../src/exercises/index';

const modules = import.meta.glob<{ default: ExerciseDefinition }>('/lessons/*/exercises/*.ts');

/**
 * @example
 * const ex = await loadExercise('/lessons/06-boxes-iou-nms/exercises/iou.ts');
 */
export async function loadExercise(path: string): Promise<ExerciseDefinition> {
  const load = modules[path];
  if (!load) throw new Error(`no exercise module ${path} (known: ${Object.keys(modules).join(', ') || 'none'})`);
  const mod = await load();
  if (!mod.default || typeof mod.default !== 'object') throw new Error(`${path} has no default export (use export default defineExercise({...}))`);
  return mod.default;
}
