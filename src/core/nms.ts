import * as tf from '@tensorflow/tfjs';
import { type ScoresLike, orderByScore, readNmsInputs } from './nms-input';
import { assertInRange, fail } from './validate';

export interface NmsOptions {
  /** Stop after this many kept boxes (default: all). */
  maxOutputSize?: number;
}

/**
 * Greedy non-maximum suppression, as torchvision.ops.nms: visit boxes by score,
 * keep a box, drop every later box whose IoU with it is greater than
 * `iouThreshold`. Returns kept indices, highest score first; equal scores keep
 * the lower index first. Runs in plain JS on typed arrays after one download.
 *
 * @example
 * await nms([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5); // [0, 2]
 */
export async function nms(boxes: tf.Tensor | number[][], scores: ScoresLike, iouThreshold: number, options: NmsOptions = {}): Promise<number[]> {
  assertInRange('nms', 'iouThreshold', iouThreshold, 0, 1);
  const maxOut = checkMaxOutputSize('nms', options.maxOutputSize);
  const { boxes: b, scores: s } = await readNmsInputs('nms', boxes, scores);
  return greedyNms(b, orderByScore(s), iouThreshold, maxOut);
}

export function checkMaxOutputSize(op: string, maxOutputSize: number | undefined): number {
  if (maxOutputSize === undefined) return Infinity;
  if (!Number.isInteger(maxOutputSize) || maxOutputSize < 0) fail(op, 'maxOutputSize', 'a non-negative integer', String(maxOutputSize));
  return maxOutputSize;
}

/**
 * The greedy loop over boxes pre-sorted by `order`. Coordinates are copied in
 * score order so the inner loop walks memory forwards; a box with no
 * intersection is skipped before the division.
 */
export function greedyNms(boxes: ArrayLike<number>, order: Int32Array, iouThreshold: number, maxOutputSize = Infinity): number[] {
  const n = order.length;
  const x1 = new Float64Array(n);
  const y1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y2 = new Float64Array(n);
  const area = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const o = 4 * order[k];
    x1[k] = boxes[o];
    y1[k] = boxes[o + 1];
    x2[k] = boxes[o + 2];
    y2[k] = boxes[o + 3];
    area[k] = (x2[k] - x1[k]) * (y2[k] - y1[k]);
  }
  const suppressed = new Uint8Array(n);
  const keep: number[] = [];
  for (let i = 0; i < n && keep.length < maxOutputSize; i++) {
    if (suppressed[i]) continue;
    keep.push(order[i]);
    const ix1 = x1[i], iy1 = y1[i], ix2 = x2[i], iy2 = y2[i], ia = area[i];
    for (let j = i + 1; j < n; j++) {
      if (suppressed[j]) continue;
      const w = Math.min(ix2, x2[j]) - Math.max(ix1, x1[j]);
      if (w <= 0) continue;
      const h = Math.min(iy2, y2[j]) - Math.max(iy1, y1[j]);
      if (h <= 0) continue;
      const inter = w * h;
      if (inter / (ia + area[j] - inter) > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep;
}
