import * as tf from '@tensorflow/tfjs';
import { assertOneOf, assertFiniteValues, fail } from '../../util/validate';
import { toTensor } from '../shared/tensor-args';
import { valueChecksEnabled } from '../shared/value-checks';

export const REDUCTIONS = ['none', 'mean', 'sum'] as const;
/** How a loss combines its elements, as torch's `reduction` argument. */
export type Reduction = (typeof REDUCTIONS)[number];

export function checkReduction(op: string, reduction: string): asserts reduction is Reduction {
  assertOneOf(op, 'reduction', reduction, REDUCTIONS);
}

export function reduce(t: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(t);
  if (reduction === 'sum') return tf.sum(t);
  return t;
}

/** A float tensor from a tensor or array, its values checked for NaN/Infinity. Call inside `tf.tidy`. */
export function toFloatTensor(op: string, arg: string, x: tf.Tensor | tf.TensorLike): tf.Tensor {
  const t = toTensor(op, arg, x);
  const f = t.dtype === 'float32' ? t : tf.cast(t, 'float32');
  if (valueChecksEnabled() && f.size > 0) assertFiniteValues(op, arg, f.dataSync());
  return f;
}

export function assertSameShape(op: string, arg: string, a: tf.Tensor, b: tf.Tensor, otherArg: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    fail(op, arg, `the same shape as '${otherArg}' [${a.shape}]`, `[${b.shape}]`);
  }
}
