import * as tf from '@tensorflow/tfjs';
import { boxIou, crossEntropy, decodeBoxes, encodeBoxes, matchByIou, sampleBalanced, smoothL1Loss, type BoxCoderWeights } from '../../core/index';
import { greedyNms } from '../../core/nms/nms';
import { orderByScore } from '../../core/nms/nms-input';

/** torchvision's RoIHeads box coder weights. */
export const ROI_BOX_WEIGHTS: BoxCoderWeights = [10, 10, 5, 5];

export interface RoiSampleOptions {
  /** IoU at or above this: foreground (torchvision box_fg_iou_thresh 0.5). */
  fgIouThreshold?: number;
  /** IoU below this: background (box_bg_iou_thresh 0.5). */
  bgIouThreshold?: number;
  /** Proposals trained on per image (box_batch_size_per_image 512). */
  batchSizePerImage?: number;
  /** Share of foreground (box_positive_fraction 0.25). */
  positiveFraction?: number;
  seed?: number;
}

export interface RoiSample {
  /** Sampled boxes, foreground first, flat x1,y1,x2,y2. */
  boxes: Float32Array;
  /** Per sampled box: its object's label + 1, or 0 for background. */
  labels: number[];
  /** How many of the first boxes are foreground. */
  numPositive: number;
  /** `[numPositive, 4]` targets (weights 10, 10, 5, 5) of the foreground boxes; the caller disposes it. */
  targets: tf.Tensor2D;
}

/**
 * Training RoIs for one image as torchvision's RoIHeads.select_training_samples:
 * the ground-truth boxes are added to the proposals (add_gt_proposals), each is
 * matched by IoU (>= 0.5 foreground with its object's class, < 0.5 background),
 * 512 are sampled with at most 25% foreground, and the foreground's regression
 * targets are encoded with weights (10, 10, 5, 5).
 *
 * @example
 * const s = sampleRoiTargets(proposals, [[10, 10, 40, 40]], [3], {seed: 1}); // s.labels[0] = 4 (class 3 + background)
 */
export function sampleRoiTargets(proposals: ArrayLike<number>, gtBoxes: number[][], gtLabels: number[], options: RoiSampleOptions = {}): RoiSample {
  const { fgIouThreshold = 0.5, bgIouThreshold = 0.5, batchSizePerImage = 512, positiveFraction = 0.25, seed } = options;
  if (gtLabels.length !== gtBoxes.length) throw new Error(`sampleRoiTargets: 'gtLabels' must give one label per box (${gtBoxes.length}), got ${gtLabels.length}.`);
  const candidates: number[][] = [];
  for (let i = 0; i < proposals.length; i += 4) candidates.push([proposals[i], proposals[i + 1], proposals[i + 2], proposals[i + 3]]);
  candidates.push(...gtBoxes.map((b) => [...b]));
  const matches =
    gtBoxes.length === 0
      ? new Array<number>(candidates.length).fill(-1)
      : tf.tidy(() => matchByIou(boxIou(gtBoxes, candidates), { highThreshold: fgIouThreshold, lowThreshold: bgIouThreshold }));
  // Foreground → its class + 1; background → 0; between the thresholds → -1 (ignored).
  const labels = matches.map((m) => (m >= 0 ? gtLabels[m] + 1 : m === -1 ? 0 : -1));
  const { positive, negative } = sampleBalanced(labels, { batchSizePerImage, positiveFraction, seed });
  const chosen = [...positive, ...negative];
  const boxes = new Float32Array(chosen.length * 4);
  chosen.forEach((c, i) => boxes.set(candidates[c], 4 * i));
  const targets = tf.tidy(() =>
    positive.length === 0
      ? (tf.zeros([0, 4]) as tf.Tensor2D)
      : encodeBoxes(positive.map((c) => gtBoxes[matches[c]]), positive.map((c) => candidates[c]), ROI_BOX_WEIGHTS),
  );
  return { boxes, labels: chosen.map((c) => labels[c]), numPositive: positive.length, targets };
}

/**
 * Fast R-CNN's loss as torchvision's fastrcnn_loss: cross-entropy of the class
 * logits over all sampled RoIs (mean), plus smooth L1 (beta 1/9) of the
 * deltas predicted for each foreground RoI's own class against its targets,
 * summed and divided by the number of sampled RoIs. The foreground rows come first.
 *
 * @example
 * roiHeadLoss(logits, deltas, [2, 0, 0], targets); // {classifier, box}
 */
export function roiHeadLoss(classLogits: tf.Tensor2D, boxDeltas: tf.Tensor2D, labels: number[], targets: tf.Tensor2D): { classifier: tf.Scalar; box: tf.Scalar } {
  const [K, classes] = classLogits.shape;
  if (labels.length !== K) throw new Error(`roiHeadLoss: 'labels' must give one label per RoI (${K}), got ${labels.length}.`);
  if (boxDeltas.shape[0] !== K || boxDeltas.shape[1] !== 4 * classes) throw new Error(`roiHeadLoss: 'boxDeltas' must be [${K}, ${4 * classes}], got [${boxDeltas.shape}].`);
  const P = targets.shape[0];
  if (labels.slice(0, P).some((l) => l <= 0) || labels.slice(P).some((l) => l > 0)) {
    throw new Error(`roiHeadLoss: 'labels' must list the ${P} foreground RoIs (label >= 1) first, one per target row.`);
  }
  return tf.tidy(() => {
    if (K === 0) return { classifier: tf.scalar(0), box: tf.scalar(0) };
    const classifier = crossEntropy(classLogits, labels) as tf.Scalar;
    if (P === 0) return { classifier, box: tf.scalar(0) };
    const rows = tf.reshape(boxDeltas, [K * classes, 4]);
    const picked = tf.gather(rows, tf.tensor1d(labels.slice(0, P).map((l, k) => k * classes + l), 'int32'));
    const box = tf.div(smoothL1Loss(picked, targets, { beta: 1 / 9, reduction: 'sum' }), K) as tf.Scalar;
    return { classifier, box };
  });
}

export interface PostprocessOptions {
  /** Keep class scores at least this (torchvision box_score_thresh 0.05). */
  scoreThreshold?: number;
  /** Per-class NMS IoU (box_nms_thresh 0.5). */
  nmsThreshold?: number;
  /** At most this many detections (box_detections_per_img 100). */
  maxDetections?: number;
  /** Drop boxes smaller than this after clipping (torchvision 1e-2). */
  minSize?: number;
}

export interface RawDetections {
  /** Flat x1,y1,x2,y2, best first. */
  boxes: Float32Array;
  scores: Float32Array;
  /** 0-based class (background removed). */
  classIds: Int32Array;
}

/**
 * torchvision's RoIHeads.postprocess_detections for one image: softmax over
 * classes, each proposal decoded once per class with that class's deltas,
 * clipped to the image; background dropped; scores below the threshold and
 * tiny boxes dropped; NMS within each class; the best `maxDetections`.
 */
export function postprocessDetections(
  classLogits: tf.Tensor2D,
  boxDeltas: tf.Tensor2D,
  proposals: ArrayLike<number>,
  imageSize: [number, number],
  options: PostprocessOptions = {},
): RawDetections {
  const { scoreThreshold = 0.05, nmsThreshold = 0.5, maxDetections = 100, minSize = 1e-2 } = options;
  const [K, classes] = classLogits.shape;
  const [H, W] = imageSize;
  if (K === 0) return { boxes: new Float32Array(0), scores: new Float32Array(0), classIds: new Int32Array(0) };
  const [probs, decoded] = tf.tidy(() => {
    const props = tf.tensor2d(Float32Array.from(proposals), [K, 4]);
    const tiled = tf.reshape(tf.tile(tf.reshape(props, [K, 1, 4]), [1, classes, 1]), [K * classes, 4]);
    return [tf.softmax(classLogits).dataSync(), decodeBoxes(tf.reshape(boxDeltas, [K * classes, 4]), tiled, ROI_BOX_WEIGHTS).dataSync()];
  });
  const boxes: number[] = [];
  const scores: number[] = [];
  const ids: number[] = [];
  for (let k = 0; k < K; k++) {
    for (let c = 1; c < classes; c++) {
      const s = probs[k * classes + c];
      if (!(s > scoreThreshold)) continue;
      const o = 4 * (k * classes + c);
      const x1 = Math.min(Math.max(decoded[o], 0), W);
      const y1 = Math.min(Math.max(decoded[o + 1], 0), H);
      const x2 = Math.min(Math.max(decoded[o + 2], 0), W);
      const y2 = Math.min(Math.max(decoded[o + 3], 0), H);
      if (x2 - x1 < minSize || y2 - y1 < minSize) continue;
      boxes.push(x1, y1, x2, y2);
      scores.push(s);
      ids.push(c - 1);
    }
  }
  const byClass = new Map<number, number[]>();
  ids.forEach((c, i) => (byClass.get(c) ?? byClass.set(c, []).get(c)!).push(i));
  const kept: number[] = [];
  for (const members of byClass.values()) kept.push(...greedyNms(boxes, orderByScore(scores, members), nmsThreshold));
  const final = orderByScore(scores, kept).subarray(0, Math.min(maxDetections, kept.length));
  return {
    boxes: Float32Array.from(Array.from(final).flatMap((i) => boxes.slice(4 * i, 4 * i + 4))),
    scores: Float32Array.from(final, (i) => scores[i]),
    classIds: Int32Array.from(final, (i) => ids[i]),
  };
}
