import * as tf from '@tensorflow/tfjs';
import { checkReduction, type Reduction, toFloatTensor } from './reduction';
import { fail } from '../../util/validate';

export interface CrossEntropyOptions {
  /** Default 'mean' (over labels that are not ignored), as torch. */
  reduction?: Reduction;
  /** Labels equal to this contribute nothing (default -100, as torch). */
  ignoreIndex?: number;
}

/**
 * Softmax cross-entropy from logits and integer class labels, as
 * torch.nn.functional.cross_entropy: -log softmax(logits)[label] per row.
 * `[N,C]` logits, `[N]` labels in [0, C) (or ignoreIndex) → `[N]` or a scalar.
 * 'mean' divides by the number of rows not ignored; if every row is ignored it
 * returns 0 where torch returns NaN. Differentiable in the logits.
 *
 * @example
 * crossEntropy([[0, 0]], [1]).print(); // log 2 = 0.6931
 */
export function crossEntropy(logits: tf.Tensor | number[][], labels: tf.Tensor | ArrayLike<number>, options: CrossEntropyOptions = {}): tf.Tensor {
  const op = 'crossEntropy';
  const { reduction = 'mean', ignoreIndex = -100 } = options;
  checkReduction(op, reduction);
  return tf.tidy(() => {
    const x = toFloatTensor(op, 'logits', logits as tf.Tensor | tf.TensorLike);
    if (x.rank !== 2) fail(op, 'logits', 'a [N,C] tensor of class scores', `shape [${x.shape}]`);
    const [n, c] = x.shape as [number, number];
    if (labels instanceof tf.Tensor && labels.rank !== 1) fail(op, 'labels', 'a [N] tensor of class indices', `shape [${labels.shape}]`);
    const l = labels instanceof tf.Tensor ? labels.dataSync() : labels;
    if (l == null || l.length !== n) fail(op, 'labels', `one label per row of logits (${n})`, `${l?.length}`);
    const safe = new Int32Array(n);
    const keep = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (l[i] === ignoreIndex) continue;
      if (!Number.isInteger(l[i]) || l[i] < 0 || l[i] >= c) fail(op, 'labels', `integers in [0, ${c}) or ignoreIndex (${ignoreIndex})`, `${l[i]} at index ${i}`);
      safe[i] = l[i];
      keep[i] = 1;
    }
    const mask = tf.tensor1d(keep);
    const picked = tf.sum(tf.mul(tf.logSoftmax(x), tf.oneHot(tf.tensor1d(safe, 'int32'), c)), 1);
    const loss = tf.mul(tf.neg(picked), mask);
    if (reduction === 'none') return loss;
    const total = tf.sum(loss);
    if (reduction === 'sum') return total;
    const count = keep.reduce((a, b) => a + b, 0);
    return count === 0 ? tf.mul(total, 0) : tf.div(total, count);
  });
}
