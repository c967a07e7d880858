import * as tf from '@tensorflow/tfjs';
import { smoothL1Loss } from '../../../core/index';
import { fail } from '../../../util/validate';

export interface RpnLossInputs {
  /** `[N]` objectness logits of every anchor of the batch (images concatenated). */
  objectness: tf.Tensor;
  /** `[N, 4]` predicted deltas, same order. */
  deltas: tf.Tensor;
  /** Sampled positive and negative indices into the N rows (all images together). */
  positive: number[];
  negative: number[];
  /** `[positive.length, 4]` regression targets of the positives, in `positive`'s order. */
  targets: tf.Tensor | number[][];
}

/** torchvision's RPN: smooth L1 with beta = 1/9. */
export const RPN_SMOOTH_L1_BETA = 1 / 9;

/**
 * The RPN loss as torchvision's RegionProposalNetwork.compute_loss:
 * objectness = binary cross-entropy with logits averaged over the sampled
 * anchors (positives labelled 1, negatives 0); box = smooth L1 (beta 1/9)
 * summed over the positives' four deltas and divided by the number of
 * sampled anchors (not of positives, so sparse images weigh less). Scalars; differentiable.
 *
 * @example
 * rpnLoss({objectness, deltas, positive: [0], negative: [1, 2, 3], targets: [[0, 0, 0, 0]]}); // {objectness, box}
 */
export function rpnLoss(inputs: RpnLossInputs): { objectness: tf.Scalar; box: tf.Scalar } {
  const op = 'rpnLoss';
  const { objectness, deltas, positive, negative, targets } = inputs;
  if (!(objectness instanceof tf.Tensor) || objectness.rank !== 1) fail(op, 'objectness', 'a [N] tensor of logits', objectness instanceof tf.Tensor ? `shape [${objectness.shape}]` : typeof objectness);
  const n = objectness.shape[0];
  if (!(deltas instanceof tf.Tensor) || deltas.rank !== 2 || deltas.shape[0] !== n || deltas.shape[1] !== 4) fail(op, 'deltas', `a [${n}, 4] tensor`, deltas instanceof tf.Tensor ? `shape [${deltas.shape}]` : typeof deltas);
  for (const [name, list] of [['positive', positive], ['negative', negative]] as const) {
    if (!Array.isArray(list) || list.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) fail(op, name, `an array of indices in [0, ${n})`, JSON.stringify(list?.slice?.(0, 5)));
  }
  const sampled = positive.length + negative.length;
  return tf.tidy(() => {
    if (sampled === 0) return { objectness: tf.scalar(0), box: tf.scalar(0) };
    const idx = tf.tensor1d([...positive, ...negative], 'int32');
    const y = tf.tensor1d([...positive.map(() => 1), ...negative.map(() => 0)]);
    const logits = tf.gather(objectness, idx);
    const obj = tf.mean(bceWithLogits(logits, y)) as tf.Scalar;
    if (positive.length === 0) return { objectness: obj, box: tf.scalar(0) };
    const t = targets instanceof tf.Tensor ? targets : tf.tensor2d(targets, [targets.length, 4]);
    if (t.shape[0] !== positive.length || t.shape[1] !== 4) fail(op, 'targets', `a [${positive.length}, 4] tensor (one row per positive)`, `shape [${t.shape}]`);
    const pred = tf.gather(deltas, tf.tensor1d(positive, 'int32'));
    const box = tf.div(smoothL1Loss(pred, t, { beta: RPN_SMOOTH_L1_BETA, reduction: 'sum' }), sampled) as tf.Scalar;
    return { objectness: obj, box };
  });
}

/** max(x, 0) - x·y + log(1 + exp(-|x|)): BCE with logits without overflow (torch's formula). */
export function bceWithLogits(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}
