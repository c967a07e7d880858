/**
 * Deep comparison of a learner's result against the expected value, with a
 * numeric tolerance and a message a learner can act on ("expected [2,3], got
 * [3,2]"). Values are plain data: numbers, strings, booleans, null, and
 * (nested) arrays or plain objects of those. Tensors are turned into arrays
 * before they reach this module (see `toPlain` in `run-cases.ts`).
 *
 * Numbers follow numpy's `isclose`: |got - expected| <= atol + rtol * |expected|.
 */

export interface Tolerance {
  /** absolute tolerance (default 1e-6) */
  atol?: number;
  /** relative tolerance (default 1e-6) */
  rtol?: number;
}

export interface CompareResult {
  ok: boolean;
  /** empty when ok; otherwise one sentence saying where and how they differ */
  message: string;
}

const DEFAULT_ATOL = 1e-6;
const DEFAULT_RTOL = 1e-6;
const MAX_SHOWN_CHARS = 160;

/**
 * True when `got` is within `atol + rtol*|expected|` of `expected` (numpy.isclose).
 * NaN equals NaN (a reference may legitimately return NaN); infinities must match exactly.
 *
 * @example
 * numbersClose(0.3333, 1 / 3, { atol: 1e-3 }) // true
 */
export function numbersClose(got: number, expected: number, tol: Tolerance = {}): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(got);
  if (!Number.isFinite(expected) || !Number.isFinite(got)) return got === expected;
  const atol = tol.atol ?? DEFAULT_ATOL;
  const rtol = tol.rtol ?? DEFAULT_RTOL;
  return Math.abs(got - expected) <= atol + rtol * Math.abs(expected);
}

/**
 * Short, readable rendering of a value for messages: numbers to at most 6
 * significant digits, long values cut with "…".
 *
 * @example
 * formatValue([1 / 3, 2]) // "[0.333333, 2]"
 */
export function formatValue(value: unknown): string {
  const s = formatInner(value, 0);
  return s.length > MAX_SHOWN_CHARS ? `${s.slice(0, MAX_SHOWN_CHARS - 1)}…` : s;
}

function formatInner(value: unknown, depth: number): string {
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(6)));
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    if (depth > 4) return '[…]';
    return `[${value.map((v) => formatInner(v, depth + 1)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    if (depth > 4) return '{…}';
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${k}: ${formatInner(v, depth + 1)}`).join(', ')}}`;
  }
  return String(value);
}

/** What kind of value this is, in words a learner knows. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : 'a number';
  if (typeof value === 'object') return 'an object';
  if (value === undefined) return 'undefined (did you forget to return?)';
  return `a ${typeof value}`;
}

/** Shape of a (nested) rectangular array, e.g. [2, 4]; [] for a scalar. */
export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/**
 * Compares `got` against `expected`. Arrays must have the same length at every
 * level (a shape mismatch is reported as shapes), numbers are compared with
 * `numbersClose`, everything else with `===`. Object keys must match exactly.
 *
 * @example
 * compareValues([0.5, 1], [0.5000001, 1]).ok          // true
 * compareValues([[1, 2]], [1, 2]).message
 * // "expected shape [2], got shape [1, 2]: expected [1, 2], got [[1, 2]]"
 */
export function compareValues(got: unknown, expected: unknown, tol: Tolerance = {}): CompareResult {
  const where = firstDifference(got, expected, tol, '');
  if (where === null) return { ok: true, message: '' };
  const head = `expected ${formatValue(expected)}, got ${formatValue(got)}`;
  if (Array.isArray(expected) && Array.isArray(got)) {
    const es = shapeOf(expected);
    const gs = shapeOf(got);
    if (es.join() !== gs.join()) return { ok: false, message: `expected shape [${es.join(', ')}], got shape [${gs.join(', ')}]: ${head}` };
  }
  if (Array.isArray(expected) && !Array.isArray(got)) {
    return { ok: false, message: `expected an array, got ${describeType(got)}: ${head}` };
  }
  if (typeof expected === 'number' && typeof got !== 'number') {
    return { ok: false, message: `expected a number, got ${describeType(got)}: ${head}` };
  }
  return { ok: false, message: where ? `${head} (first difference at ${where})` : head };
}

/**
 * Path of the first difference ('' for the root, '[1][0]' or '.x' below it),
 * or null when the two agree.
 */
function firstDifference(got: unknown, expected: unknown, tol: Tolerance, path: string): string | null {
  if (typeof expected === 'number') {
    return typeof got === 'number' && numbersClose(got, expected, tol) ? null : path;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) return path;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(got[i], expected[i], tol, `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return path;
    const ek = Object.keys(expected).sort();
    const gk = Object.keys(got).sort();
    if (ek.join('\u0000') !== gk.join('\u0000')) return path;
    for (const k of ek) {
      const d = firstDifference(
        (got as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        tol,
        `${path}.${k}`,
      );
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(got, expected) || got === expected ? null : path;
}
