import * as tf from '@tensorflow/tfjs';
import { assertSameShape, checkReduction, reduce, type Reduction, toFloatTensor } from './reduction';
import { fail } from '../../util/validate';

export interface SmoothL1Options {
  /** Where the quadratic part meets the linear one; 0 gives L1. Default 1. */
  beta?: number;
  /** Default 'mean', as torch. */
  reduction?: Reduction;
}

/**
 * Smooth L1 (Huber-like) loss, as torch.nn.functional.smooth_l1_loss: with
 * n = |pred - target|, 0.5·n²/beta where n < beta, else n - 0.5·beta.
 * Differentiable; used for box regression in Fast/Faster R-CNN.
 *
 * @example
 * smoothL1Loss([0.5, 3], [0, 0], { reduction: 'none' }).print(); // [0.125, 2.5]
 */
export function smoothL1Loss(pred: tf.Tensor | tf.TensorLike, target: tf.Tensor | tf.TensorLike, options: SmoothL1Options = {}): tf.Tensor {
  const op = 'smoothL1Loss';
  const { beta = 1, reduction = 'mean' } = options;
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0) fail(op, 'beta', 'a non-negative number', String(beta));
  checkReduction(op, reduction);
  return tf.tidy(() => {
    const p = toFloatTensor(op, 'pred', pred);
    const t = toFloatTensor(op, 'target', target);
    assertSameShape(op, 'target', p, t, 'pred');
    const n = tf.abs(tf.sub(p, t));
    if (beta === 0) return reduce(n, reduction);
    // min(n, beta) splits n into a quadratic part and a linear rest without a NaN-prone where.
    const q = tf.minimum(n, beta);
    const loss = tf.add(tf.div(tf.mul(tf.square(q), 0.5), beta), tf.sub(n, q));
    return reduce(loss, reduction);
  });
}
