import * as tf from '@tensorflow/tfjs';
import { decodeBoxes } from '../../../core/index';
import { ROI_BOX_WEIGHTS } from '../roi-head';

/**
 * One cascade stage's regression applied to its input boxes, as mmdetection's
 * `bbox_head.regress_by_class`: each box `k` is decoded with the deltas of
 * class `classes[k]` (1-based, 0 = background is never used), divided by the
 * stage's coder scale (a stage whose targets are encoded with weights
 * `scale · (10, 10, 5, 5)`, i.e. stds 0.1/scale and 0.2/scale), then clipped to the image.
 * `boxes` flat x1,y1,x2,y2; `boxDeltas` `[K, 4·(numClasses + 1)]`. Values only: no gradient
 * flows to the next stage (the paper and mmdetection detach the refined boxes).
 */
export function regressByClass(
  boxes: ArrayLike<number>,
  boxDeltas: tf.Tensor2D,
  classes: ArrayLike<number>,
  scale: number,
  imageSize: [number, number],
): Float32Array {
  const K = boxes.length / 4;
  const [rows, width] = boxDeltas.shape;
  const op = 'regressByClass';
  if (rows !== K) throw new Error(`${op}: 'boxDeltas' must have one row per box (${K}), got ${rows}.`);
  if (classes.length !== K) throw new Error(`${op}: 'classes' must give one class per box (${K}), got ${classes.length}.`);
  if (!(scale > 0)) throw new Error(`${op}: 'scale' must be a positive number, got ${scale}.`);
  if (K === 0) return new Float32Array(0);
  const C = width / 4;
  for (let k = 0; k < K; k++) {
    if (!Number.isInteger(classes[k]) || classes[k] < 1 || classes[k] >= C) throw new Error(`${op}: 'classes' must be 1..${C - 1} (0 is background), got ${classes[k]} at ${k}.`);
  }
  const [H, W] = imageSize;
  const out = tf.tidy(() => {
    const picked = tf.gather(tf.reshape(boxDeltas, [K * C, 4]), tf.tensor1d(Int32Array.from({ length: K }, (_, k) => k * C + classes[k]), 'int32'));
    return decodeBoxes(tf.div(picked, scale), tf.tensor2d(Float32Array.from(boxes), [K, 4]), ROI_BOX_WEIGHTS).dataSync() as Float32Array;
  });
  for (let i = 0; i < out.length; i += 4) {
    out[i] = Math.min(Math.max(out[i], 0), W);
    out[i + 1] = Math.min(Math.max(out[i + 1], 0), H);
    out[i + 2] = Math.min(Math.max(out[i + 2], 0), W);
    out[i + 3] = Math.min(Math.max(out[i + 3], 0), H);
  }
  return out;
}

/** Per row, the best foreground class (1-based) of `[K, numClasses + 1]` logits or probabilities. */
export function bestForegroundClass(scores: ArrayLike<number>, classes: number): Int32Array {
  const K = scores.length / classes;
  const out = new Int32Array(K);
  for (let k = 0; k < K; k++) {
    let best = 1;
    for (let c = 2; c < classes; c++) if (scores[k * classes + c] > scores[k * classes + best]) best = c;
    out[k] = best;
  }
  return out;
}
