import * as tf from '@tensorflow/tfjs';
import { assertSameShape, checkReduction, reduce, type Reduction, toFloatTensor } from './reduction';
import { fail } from '../../util/validate';

export interface FocalLossOptions {
  /** Weight of positives (1 - alpha for negatives); a negative alpha turns the weighting off. Default 0.25. */
  alpha?: number;
  /** Focusing exponent on (1 - p_t); 0 gives plain binary cross-entropy. Default 2. */
  gamma?: number;
  /** Default 'none', as torchvision. */
  reduction?: Reduction;
}

/**
 * Sigmoid focal loss (Lin et al. 2017, RetinaNet), as
 * torchvision.ops.sigmoid_focal_loss: BCE-with-logits(x, t) · (1 - p_t)^gamma ·
 * alpha_t, with p = sigmoid(x), p_t = p·t + (1 - p)(1 - t), alpha_t = alpha·t +
 * (1 - alpha)(1 - t). Cross-entropy is computed as softplus(x) - x·t so that it
 * is stable for large |x| and its gradient is exactly sigmoid(x) - t.
 *
 * @example
 * sigmoidFocalLoss([0], [1]).print(); // [0.25 · 0.5² · log 2] = [0.0433]
 */
export function sigmoidFocalLoss(logits: tf.Tensor | tf.TensorLike, targets: tf.Tensor | tf.TensorLike, options: FocalLossOptions = {}): tf.Tensor {
  const op = 'sigmoidFocalLoss';
  const { alpha = 0.25, gamma = 2, reduction = 'none' } = options;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha > 1) fail(op, 'alpha', 'a number <= 1 (negative turns weighting off)', String(alpha));
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) fail(op, 'gamma', 'a non-negative number', String(gamma));
  checkReduction(op, reduction);
  return tf.tidy(() => {
    const x = toFloatTensor(op, 'logits', logits);
    const t = toFloatTensor(op, 'targets', targets);
    assertSameShape(op, 'targets', x, t, 'logits');
    const p = tf.sigmoid(x);
    const ce = tf.sub(tf.softplus(x), tf.mul(x, t));
    const pT = tf.add(tf.mul(p, t), tf.mul(tf.sub(1, p), tf.sub(1, t)));
    let loss = gamma === 0 ? ce : tf.mul(ce, tf.pow(tf.sub(1, pT), gamma));
    if (alpha >= 0) loss = tf.mul(loss, tf.add(tf.mul(t, alpha), tf.mul(tf.sub(1, t), 1 - alpha)));
    return reduce(loss, reduction);
  });
}
