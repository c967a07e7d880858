/**
 * Runs a learner's function on each case and compares with the expected
 * value. Pure and environment-free: the grader's worker calls it, and so do
 * the Node unit tests. Every outcome (a throw, a wrong type, a tensor result,
 * a promise) becomes a `CaseResult`; nothing the learner does escapes as an
 * exception.
 */
import { compareValues, formatValue, type Tolerance } from './compare';
import type { ExerciseCase, PreparedCase } from './exercise';
import { disposeDeep, toPlain } from './to-plain';

export interface CaseResult {
  label: string;
  visible: boolean;
  passed: boolean;
  /** one sentence: for a visible failure "expected X, got Y"; for a hidden one only that it failed; or the error thrown */
  message: string;
  /** visible cases only: the args, expected and got, formatted for display */
  args?: string;
  expected?: string;
  got?: string;
}

/** The subset of tfjs that `tensorArgs` needs; passed in so this module never imports tfjs. */
export interface TensorFactory {
  tensor(values: unknown): { dispose(): void };
}

export interface RunCasesOptions {
  tolerance?: Tolerance;
  /** indices of args to pass as tensors (requires `tf`) */
  tensorArgs?: number[];
  tf?: TensorFactory;
}

type AnyCase = PreparedCase | ExerciseCase;

/**
 * @param fn the learner's function
 * @param cases prepared cases (expected already plain) or raw exercise cases
 * @param reference used for cases without `expected` (Node tests; in the browser the page resolves them first)
 *
 * @example
 * await runCases((a: number, b: number) => a + b, [{ args: [1, 2], expected: 3, visible: true }])
 * // [{ label: 'case 1', visible: true, passed: true, message: 'passed', args: '1, 2', expected: '3', got: '3' }]
 */
export async function runCases(
  fn: (...args: unknown[]) => unknown,
  cases: AnyCase[],
  reference?: (...args: unknown[]) => unknown,
  opts: RunCasesOptions = {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    const label = c.label ?? `case ${i + 1}`;
    const visible = c.visible ?? false;
    const shown = visible ? { args: c.args.map((a) => formatValue(a)).join(', ') } : {};
    let expected: unknown;
    if (c.expected !== undefined) expected = c.expected;
    else if (reference) expected = await toPlain(await reference(...structuredClone(c.args)));
    else throw new Error(`runCases: '${label}' has no expected value and no reference was given`);

    let got: unknown;
    const tensors: { dispose(): void }[] = [];
    try {
      // Fresh copies: a learner's function that sorts or edits its input must not change later cases.
      const args = structuredClone(c.args).map((a, k) => {
        if (!opts.tensorArgs?.includes(k)) return a;
        if (!opts.tf) throw new Error('runCases: tensorArgs needs opts.tf');
        const t = opts.tf.tensor(a);
        tensors.push(t);
        return t;
      });
      let raw: unknown;
      try {
        raw = await fn(...args);
        got = await toPlain(raw);
      } catch (e) {
        disposeDeep(raw);
        throw e;
      }
    } catch (e) {
      results.push({ label, visible, passed: false, message: `threw ${describeError(e)}`, ...shown });
      continue;
    } finally {
      tensors.forEach((t) => t.dispose());
    }
    const cmp = compareValues(got, expected, opts.tolerance);
    const detail = visible ? { ...shown, expected: formatValue(expected), got: formatValue(got) } : {};
    if (cmp.ok) results.push({ label, visible, passed: true, message: 'passed', ...detail });
    else results.push({ label, visible, passed: false, message: visible ? cmp.message : 'failed (a hidden case: try edge cases)', ...detail });
  }
  return results;
}

/** "TypeError: x is not a function" from anything thrown, including non-Errors. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return `a non-Error value: ${formatValue(e)}`;
  } catch {
    return 'a value that cannot be shown';
  }
}
