/**
 * The format of a code exercise: one module a exercise in
 * `lessons/<NN-slug>/exercises/<id>.ts`, default-exporting `defineExercise({...})`.
 * The module is trusted course code: its `reference` runs on the page (it may
 * import the course library), while the learner's code only ever runs in the
 * grader's worker. `prepareCases` turns the reference into plain expected
 * values before anything is sent to the worker.
 */
import type { Tolerance } from './compare';
import { toPlain } from './to-plain';

export interface ExerciseCase {
  /** arguments passed to the learner's function (plain JSON data) */
  args: unknown[];
  /** the right result; when absent it is computed by the exercise's `reference` */
  expected?: unknown;
  /** visible cases show expected against got when they fail; hidden ones only say they failed (default: hidden) */
  visible?: boolean;
  /** short name shown in the results, e.g. 'disjoint boxes' */
  label?: string;
}

export interface ExerciseDefinition {
  /** unique within the lesson; progress is stored under it */
  id: string;
  title: string;
  /** the name of the function the learner completes, e.g. 'iou' */
  entry: string;
  /** the code the editor starts with: must define `entry` */
  starter: string;
  /** a full solution, shown after the learner's first attempt */
  solution: string;
  /** hints, revealed one at a time */
  hints?: string[];
  cases: ExerciseCase[];
  /** the course's reference implementation; called with each case's args when `expected` is absent. May return tensors. */
  reference?: (...args: never[]) => unknown;
  /** numeric tolerance for comparing results (numpy.isclose; default atol = rtol = 1e-6) */
  tolerance?: Tolerance;
  /** time limit for running all cases, in ms (default 3000) */
  timeLimitMs?: number;
  /** indices of arguments passed to the learner's function as tf tensors (the worker converts and disposes them) */
  tensorArgs?: number[];
}

/** A case ready for the worker: expected is plain data. */
export interface PreparedCase {
  args: unknown[];
  expected: unknown;
  visible: boolean;
  label: string;
}

export const DEFAULT_TIME_LIMIT_MS = 3000;

/**
 * Checks an exercise definition and returns it unchanged (typed). Throws with
 * the exercise id and the field at module load, so a broken exercise fails
 * the tests and the build, not a learner's click.
 *
 * @example
 * export default defineExercise({
 *   id: 'double', title: 'Double a number', entry: 'double',
 *   starter: 'function double(x) {\n  // your code\n}',
 *   solution: 'function double(x) {\n  return 2 * x;\n}',
 *   cases: [{ args: [2], expected: 4, visible: true }, { args: [-1.5] }],
 *   reference: (x: number) => 2 * x,
 * });
 */
export function defineExercise(def: ExerciseDefinition): ExerciseDefinition {
  const bad = (field: string, expected: string): never => {
    throw new Error(`exercise '${def.id}': '${field}' must be ${expected}`);
  };
  if (typeof def.id !== 'string' || !/^[\w.-]+$/.test(def.id)) bad('id', 'letters, digits, "-", "_" or "."');
  if (!/^[A-Za-z_$][\w$]*$/.test(def.entry)) bad('entry', 'a JavaScript function name');
  if (!new RegExp(`\\b${def.entry.replace(/\$/g, '\\$')}\\b`).test(def.starter)) bad('starter', `code that defines '${def.entry}'`);
  if (typeof def.solution !== 'string' || def.solution.trim() === '') bad('solution', 'a non-empty string');
  if (!Array.isArray(def.cases) || def.cases.length === 0) bad('cases', 'a non-empty list');
  def.cases.forEach((c, i) => {
    if (!Array.isArray(c.args)) bad(`cases[${i}].args`, 'a list of arguments');
    if (c.expected === undefined && !def.reference) bad(`cases[${i}].expected`, "given when there is no 'reference'");
  });
  if (def.timeLimitMs !== undefined && !(def.timeLimitMs > 0)) bad('timeLimitMs', 'a positive number');
  return def;
}

/**
 * Resolves every case's expected value (given, or the reference's result made
 * plain: tensors become nested arrays and are disposed).
 *
 * @example
 * await prepareCases(defineExercise({ ...def, cases: [{ args: [2] }], reference: (x: number) => 2 * x }))
 * // [{ args: [2], expected: 4, visible: false, label: 'case 1' }]
 */
export async function prepareCases(def: ExerciseDefinition): Promise<PreparedCase[]> {
  const out: PreparedCase[] = [];
  for (const [i, c] of def.cases.entries()) {
    let expected = c.expected;
    if (expected === undefined) {
      // structuredClone: a reference that mutates its input must not change the learner's args.
      const ref = def.reference as (...a: unknown[]) => unknown;
      expected = await toPlain(await ref(...structuredClone(c.args)));
    }
    out.push({ args: c.args, expected, visible: c.visible ?? false, label: c.label ?? `case ${i + 1}` });
  }
  return out;
}
