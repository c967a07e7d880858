/**
 * Runs a learner's function on each case and compares with the expected
 * value. Pure and environment-free: the grader's worker calls it, and so do
 * the Node unit tests. Every outcome (a throw, a wrong type, a tensor result,
 * a promise) becomes a `CaseResult`; nothing the learner does escapes as an
 * exception.
 */
import { compareValues, describeType, formatValue, type Tolerance } from './compare';
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
 * What the learner's function did on one case, as the worker reports it:
 * its result as plain data, or the sentence describing what went wrong. The
 * page judges these against the expected values it keeps to itself, so a
 * worker (or learner code inside it) can only report values, never verdicts.
 */
export type CaseOutcome = { ok: true; got: unknown } | { ok: false; error: string };

/**
 * Calls the learner's function on each case's args (fresh copies, tensors
 * made for `tensorArgs`) and reads its result as plain data. Never throws for
 * anything the learner does.
 *
 * @example
 * await runLearnerCases((a: number, b: number) => a + b, [{ args: [1, 2] }]) // [{ ok: true, got: 3 }]
 */
export async function runLearnerCases(
  fn: (...args: unknown[]) => unknown,
  cases: readonly { args: unknown[] }[],
  opts: Pick<RunCasesOptions, 'tensorArgs' | 'tf'> = {},
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
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
      let got: unknown;
      try {
        raw = await fn(...args);
        got = await toPlain(raw);
      } catch (e) {
        disposeDeep(raw);
        throw e;
      }
      outcomes.push(cloneable(got) ? { ok: true, got } : { ok: false, error: `returned ${describeType(got)}, which is not a value that can be checked` });
    } catch (e) {
      outcomes.push({ ok: false, error: `threw ${describeError(e)}` });
    } finally {
      tensors.forEach((t) => t.dispose());
    }
  }
  return outcomes;
}

/**
 * One `CaseResult` per case from the outcomes the worker reported: each
 * result compared with the case's expected value under `tolerance`.
 * `outcomes` must hold one entry per case (the grader checks the reply first).
 *
 * @example
 * judgeCases([{ args: [1, 2], expected: 3, visible: true, label: 'small' }], [{ ok: true, got: 3 }])
 * // [{ label: 'small', visible: true, passed: true, message: 'passed', args: '1, 2', expected: '3', got: '3' }]
 */
export function judgeCases(cases: readonly PreparedCase[], outcomes: readonly CaseOutcome[], tolerance?: Tolerance): CaseResult[] {
  if (outcomes.length !== cases.length) throw new Error(`judgeCases: ${outcomes.length} outcomes for ${cases.length} cases`);
  return cases.map((c, i) => {
    const label = c.label ?? `case ${i + 1}`;
    const visible = c.visible ?? false;
    const shown = visible ? { args: c.args.map((a) => formatValue(a)).join(', ') } : {};
    const o = outcomes[i]!;
    if (!o.ok) return { label, visible, passed: false, message: o.error, ...shown };
    const cmp = compareValues(o.got, c.expected, tolerance);
    const detail = visible ? { ...shown, expected: formatValue(c.expected), got: formatValue(o.got) } : {};
    if (cmp.ok) return { label, visible, passed: true, message: 'passed', ...detail };
    return { label, visible, passed: false, message: visible ? cmp.message : 'failed (a hidden case: try edge cases)', ...detail };
  });
}

/**
 * Runs and judges in one go (Node tests; the browser splits the two between
 * the worker and the page).
 *
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
  const prepared: PreparedCase[] = [];
  for (const [i, c] of cases.entries()) {
    const label = c.label ?? `case ${i + 1}`;
    let expected: unknown;
    if (c.expected !== undefined) expected = c.expected;
    else if (reference) expected = await toPlain(await reference(...structuredClone(c.args)));
    else throw new Error(`runCases: '${label}' has no expected value and no reference was given`);
    prepared.push({ args: c.args, expected, visible: c.visible ?? false, label });
  }
  return judgeCases(prepared, await runLearnerCases(fn, prepared, opts), opts.tolerance);
}

function cloneable(v: unknown): boolean {
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
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
