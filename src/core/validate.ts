import * as tf from '@tensorflow/tfjs';

/**
 * Argument checks shared by the core ops. Each error names the op, the
 * argument and what was expected, so a learner's mistake reads as a sentence.
 */

export type TensorLike2D = tf.Tensor2D | number[][];

export function fail(op: string, arg: string, expected: string, got?: string): never {
  throw new Error(`${op}: '${arg}' must be ${expected}${got === undefined ? '' : `, got ${got}`}.`);
}

export function toTensor(op: string, arg: string, x: tf.Tensor | tf.TensorLike): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  try {
    return tf.tensor(x as tf.TensorLike, undefined, 'float32');
  } catch (e) {
    return fail(op, arg, 'a tensor or a (nested) array of numbers', (e as Error).message);
  }
}

/** Checks a `[N,4]` box tensor; an empty `[0,4]` is allowed. */
export function assertBoxes(op: string, arg: string, boxes: tf.Tensor): asserts boxes is tf.Tensor2D {
  if (boxes.rank !== 2 || boxes.shape[1] !== 4) fail(op, arg, 'a [N,4] tensor of boxes', `shape [${boxes.shape}]`);
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
