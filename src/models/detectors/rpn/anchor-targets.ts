import * as tf from '@tensorflow/tfjs';
import { boxIou, encodeBoxes, matchByIou, sampleBalanced, type BoxCoderWeights } from '../../../core/index';
import { fail } from '../../../util/validate';

export interface AnchorLabelOptions {
  /** IoU at or above this: positive (torchvision's RPN fg_iou_thresh, 0.7). */
  highThreshold?: number;
  /** IoU below this: negative (bg_iou_thresh, 0.3); between the two: ignored. */
  lowThreshold?: number;
  /** Each object's best anchor(s) positive even below highThreshold (torchvision's RPN: true). */
  allowLowQualityMatches?: boolean;
}

export interface AnchorLabels {
  /** Per anchor: 1 positive, 0 negative, -1 ignored. */
  labels: Int8Array;
  /** Per anchor: the index of its object when positive, else -1. */
  matchedGt: Int32Array;
}

/**
 * Labels anchors for an RPN as torchvision's
 * RegionProposalNetwork.assign_targets_to_anchors: IoU of every object with
 * every anchor, `matchByIou` (the Matcher with allow_low_quality_matches),
 * then matched → 1, below low → 0, between → -1. An image without objects
 * has every anchor negative, as torchvision.
 *
 * @example
 * labelAnchors([[0, 0, 10, 10], [20, 20, 30, 30]], [[0, 0, 10, 9]]).labels; // [1, 0]
 */
export function labelAnchors(anchors: tf.Tensor2D | number[][], gtBoxes: number[][], options: AnchorLabelOptions = {}): AnchorLabels {
  const { highThreshold = 0.7, lowThreshold = 0.3, allowLowQualityMatches = true } = options;
  if (!Array.isArray(gtBoxes)) fail('labelAnchors', 'gtBoxes', 'an array of [x1, y1, x2, y2] boxes', String(gtBoxes));
  const n = anchors instanceof tf.Tensor ? (anchors.shape[0] as number) : anchors.length;
  const matches =
    gtBoxes.length === 0
      ? new Array<number>(n).fill(-1)
      : tf.tidy(() => matchByIou(boxIou(gtBoxes, anchors), { highThreshold, lowThreshold, allowLowQualityMatches }));
  const labels = new Int8Array(n);
  const matchedGt = new Int32Array(n).fill(-1);
  matches.forEach((m, i) => {
    labels[i] = m >= 0 ? 1 : m === -1 ? 0 : -1;
    if (m >= 0) matchedGt[i] = m;
  });
  return { labels, matchedGt };
}

export interface SampledTargets {
  /** Indices of the sampled positives, ascending; with `offset`, into the batch's concatenated predictions. */
  positive: number[];
  negative: number[];
  /** `[positive.length, 4]` regression targets of the positives (encodeBoxes of their object against their anchor). */
  targets: tf.Tensor2D;
  /** The matched object's index of each sampled positive (for class labels in a RoI head). */
  positiveGt: number[];
}

export interface SampleOptions {
  /** Anchors (or proposals) trained on per image (torchvision RPN: 256). */
  batchSizePerImage?: number;
  /** Share of positives (RPN: 0.5). */
  positiveFraction?: number;
  seed?: number;
  /** Box coder weights: RPN [1, 1, 1, 1]; box head [10, 10, 5, 5]. */
  weights?: BoxCoderWeights;
  /** Added to every index, to address one image's rows in a batch's concatenation. */
  offset?: number;
}

/**
 * Samples a balanced set from labels (torchvision's BalancedPositiveNegativeSampler via `sampleBalanced`)
 * and encodes the positives' regression targets. The caller disposes `targets`.
 *
 * @example
 * const { labels, matchedGt } = labelAnchors(anchors, gt);
 * const s = sampleTargets(anchors, gt, labels, matchedGt, {batchSizePerImage: 256, positiveFraction: 0.5, seed: 1});
 */
export function sampleTargets(
  boxes: tf.Tensor2D | number[][],
  gtBoxes: number[][],
  labels: ArrayLike<number>,
  matchedGt: ArrayLike<number>,
  options: SampleOptions = {},
): SampledTargets {
  const { batchSizePerImage = 256, positiveFraction = 0.5, seed, weights = [1, 1, 1, 1], offset = 0 } = options;
  const { positive, negative } = sampleBalanced(labels, { batchSizePerImage, positiveFraction, seed });
  const positiveGt = positive.map((i) => matchedGt[i]);
  const targets = tf.tidy(() => {
    if (positive.length === 0) return tf.zeros([0, 4]) as tf.Tensor2D;
    const b = boxes instanceof tf.Tensor ? tf.gather(boxes, positive) : tf.tensor2d(positive.map((i) => (boxes as number[][])[i]), [positive.length, 4]);
    return encodeBoxes(positiveGt.map((g) => gtBoxes[g]), b as tf.Tensor2D, weights);
  });
  return { positive: positive.map((i) => i + offset), negative: negative.map((i) => i + offset), positiveGt, targets };
}
