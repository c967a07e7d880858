/**
 * Turns the learner's source into a callable function. Runs `new Function`,
 * so it is imported ONLY by the grader's worker (and by Node tests): the page
 * itself never evaluates learner code, and nothing from a URL reaches here.
 */

export class LearnerCodeError extends Error {
  override name = 'LearnerCodeError';
}

/**
 * Evaluates `code` in strict mode with `tf` (when given) in scope and returns
 * the function named `entry` that it defines.
 *
 * @example
 * const f = compileLearnerCode('function add(a, b) { return a + b; }', 'add');
 * f(1, 2) // 3
 */
export function compileLearnerCode(code: string, entry: string, tf?: unknown): (...args: unknown[]) => unknown {
  // `entry` comes from the trusted exercise module; checked anyway since it is spliced into source.
  if (!/^[A-Za-z_$][\w$]*$/.test(entry)) throw new LearnerCodeError(`invalid function name '${entry}'`);
  let factory: (tf: unknown) => unknown;
  try {
    factory = new Function('tf', `"use strict";\n${code}\n;return typeof ${entry} === "function" ? ${entry} : undefined;`) as (tf: unknown) => unknown;
  } catch (e) {
    throw new LearnerCodeError(`your code does not parse: ${(e as Error).message}`);
  }
  let fn: unknown;
  try {
    fn = factory(tf);
  } catch (e) {
    throw new LearnerCodeError(`your code threw while loading: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  if (typeof fn !== 'function') throw new LearnerCodeError(`define a function named '${entry}'`);
  return fn as (...args: unknown[]) => unknown;
}
