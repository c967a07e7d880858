import * as tf from '@tensorflow/tfjs';
import { assertFiniteValues, assertInRange, fail } from '../../util/validate';

/** Prediction whose best quality is below `lowThreshold` (a negative). */
export const BELOW_LOW_THRESHOLD = -1;
/** Prediction whose best quality is in [lowThreshold, highThreshold) (ignored). */
export const BETWEEN_THRESHOLDS = -2;

export interface MatchOptions {
  /** Best quality >= this: matched to that ground truth (e.g. 0.7 for an RPN, 0.5 for a box head). */
  highThreshold: number;
  /** Best quality < this: BELOW_LOW_THRESHOLD (e.g. 0.3); between the two: BETWEEN_THRESHOLDS. */
  lowThreshold: number;
  /** Give each ground truth its best prediction(s), ties included, even below the thresholds (default false). */
  allowLowQualityMatches?: boolean;
}

/**
 * Assigns each prediction (anchor, proposal) to a ground-truth box from a
 * `[numGt, numPred]` quality matrix (usually IoU), as torchvision's
 * `det_utils.Matcher`: the gt with the highest quality (first on ties), or
 * BELOW_LOW_THRESHOLD (-1) / BETWEEN_THRESHOLDS (-2). With low-quality matches,
 * every prediction that achieves some gt's highest quality gets back its own
 * best gt (torchvision's rule: that is the prediction's argmax, not
 * necessarily this gt). With no ground truth every prediction is -1
 * (torchvision raises during training instead).
 *
 * Synchronous: a tensor is read with `dataSync`.
 *
 * @example
 * matchByIou([[0.9, 0.4, 0.1]], { highThreshold: 0.7, lowThreshold: 0.3 }); // [0, -2, -1]
 */
export function matchByIou(iou: tf.Tensor | number[][], options: MatchOptions): number[] {
  const op = 'matchByIou';
  const { highThreshold, lowThreshold, allowLowQualityMatches = false } = options ?? ({} as MatchOptions);
  assertInRange(op, 'highThreshold', highThreshold, 0, 1);
  assertInRange(op, 'lowThreshold', lowThreshold, 0, 1);
  if (lowThreshold > highThreshold) fail(op, 'lowThreshold', `at most highThreshold (${highThreshold})`, String(lowThreshold));
  const { values: m, numGt, numPred } = readMatrix(op, iou);
  assertFiniteValues(op, 'iou', m);
  const matches = new Array<number>(numPred).fill(BELOW_LOW_THRESHOLD);
  if (numGt === 0) return matches;
  const best = new Array<number>(numPred).fill(0);
  for (let j = 0; j < numPred; j++) {
    let bi = 0;
    for (let i = 1; i < numGt; i++) if (m[i * numPred + j] > m[bi * numPred + j]) bi = i;
    best[j] = bi;
    const v = m[bi * numPred + j];
    matches[j] = v < lowThreshold ? BELOW_LOW_THRESHOLD : v < highThreshold ? BETWEEN_THRESHOLDS : bi;
  }
  if (allowLowQualityMatches) {
    for (let i = 0; i < numGt; i++) {
      let top = -Infinity;
      for (let j = 0; j < numPred; j++) top = Math.max(top, m[i * numPred + j]);
      for (let j = 0; j < numPred; j++) if (m[i * numPred + j] === top) matches[j] = best[j];
    }
  }
  return matches;
}

function readMatrix(op: string, iou: tf.Tensor | number[][]): { values: ArrayLike<number>; numGt: number; numPred: number } {
  if (iou instanceof tf.Tensor) {
    if (iou.rank !== 2) fail(op, 'iou', 'a [numGt, numPred] matrix', `shape [${iou.shape}]`);
    return { values: iou.dataSync(), numGt: iou.shape[0] as number, numPred: iou.shape[1] as number };
  }
  if (!Array.isArray(iou)) fail(op, 'iou', 'a [numGt, numPred] tensor or number[][]', typeof iou);
  const numGt = iou.length;
  const numPred = numGt ? (iou[0]?.length ?? 0) : 0;
  const values = new Float64Array(numGt * numPred);
  iou.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== numPred) fail(op, 'iou', `rows of equal length (${numPred})`, `row ${i} has ${row?.length}`);
    values.set(row, i * numPred);
  });
  return { values, numGt, numPred };
}
