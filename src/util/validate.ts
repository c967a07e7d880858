/**
 * Argument checks shared by every room (core ops, data generators, models,
 * nn layers). Each error names the op, the argument and what was expected, so
 * a learner's mistake reads as a sentence. Plain values only: the tensor
 * checks live with the core (`core/shared/tensor-args.ts`), so this room needs
 * no tfjs.
 *
 * @example
 * assertOneOf('boxConvert', 'inFmt', fmt, ['xyxy', 'xywh', 'cxcywh']);
 */

export function fail(op: string, arg: string, expected: string, got?: string): never {
  throw new Error(`${op}: '${arg}' must be ${expected}${got === undefined ? '' : `, got ${got}`}.`);
}

export function assertFiniteValues(op: string, arg: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) fail(op, arg, 'finite numbers', `${values[i]} at flat index ${i}`);
  }
}

export function assertInRange(op: string, arg: string, value: number, lo: number, hi: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < lo || value > hi) {
    fail(op, arg, `a number in [${lo}, ${hi}]`, String(value));
  }
}

export function assertOneOf<T extends string>(op: string, arg: string, value: string, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) fail(op, arg, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, `'${value}'`);
}
