import * as tf from '@tensorflow/tfjs';
import { type ScoresLike, orderByScore, readNmsInputs } from './nms-input';
import { assertInRange, fail } from '../../util/validate';

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
 * score order; a second index sorted by x1 lets each kept box visit only the
 * candidates whose x-range can reach it (x1 in (x1_kept - widest, x2_kept)),
 * which makes sparse scenes far cheaper than the all-pairs loop while giving
 * the same result. Dense scenes fall back to O(N·kept) like torchvision.
 */
export function greedyNms(boxes: ArrayLike<number>, order: Int32Array, iouThreshold: number, maxOutputSize = Infinity): number[] {
  const n = order.length;
  const x1 = new Float64Array(n);
  const y1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const y2 = new Float64Array(n);
  const area = new Float64Array(n);
  let widest = 0;
  for (let k = 0; k < n; k++) {
    const o = 4 * order[k];
    x1[k] = boxes[o];
    y1[k] = boxes[o + 1];
    x2[k] = boxes[o + 2];
    y2[k] = boxes[o + 3];
    area[k] = (x2[k] - x1[k]) * (y2[k] - y1[k]);
    widest = Math.max(widest, x2[k] - x1[k]);
  }
  // The same boxes sorted by x1, stored contiguously so the inner loop reads memory in order.
  const byX = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => x1[a] - x1[b]);
  const xs1 = Float64Array.from(byX, (k) => x1[k]);
  const xs2 = Float64Array.from(byX, (k) => x2[k]);
  const ys1 = Float64Array.from(byX, (k) => y1[k]);
  const ys2 = Float64Array.from(byX, (k) => y2[k]);
  const xsArea = Float64Array.from(byX, (k) => area[k]);
  const suppressed = new Uint8Array(n); // by score position
  const slotOf = new Int32Array(n); // score position -> x-sorted slot
  for (let k = 0; k < n; k++) slotOf[byX[k]] = k;
  // Slots still to be decided (not kept yet, not suppressed), as a union-find
  // "next live slot at or after k": the inner loop skips every box already
  // kept or dropped, which is most of an x-window late in the loop.
  const next = Int32Array.from({ length: n + 1 }, (_, k) => k);
  const live = (k: number): number => {
    let r = k;
    while (next[r] !== r) r = next[r];
    while (next[k] !== r) {
      const up = next[k];
      next[k] = r;
      k = up;
    }
    return r;
  };
  const keep: number[] = [];
  for (let i = 0; i < n && keep.length < maxOutputSize; i++) {
    if (suppressed[i]) continue;
    keep.push(order[i]);
    next[slotOf[i]] = slotOf[i] + 1;
    const ix1 = x1[i], iy1 = y1[i], ix2 = x2[i], iy2 = y2[i], ia = area[i];
    const end = lowerBound(xs1, ix2); // x1[j] >= ix2 cannot overlap
    // Every live slot holds a box after i in score order that no kept box has dropped.
    for (let k = live(lowerBound(xs1, ix1 - widest)); k < end; k = live(k + 1)) {
      const w = Math.min(ix2, xs2[k]) - Math.max(ix1, xs1[k]);
      if (w <= 0) continue;
      const h = Math.min(iy2, ys2[k]) - Math.max(iy1, ys1[k]);
      if (h <= 0) continue;
      const inter = w * h;
      if (inter / (ia + xsArea[k] - inter) > iouThreshold) {
        suppressed[byX[k]] = 1;
        next[k] = k + 1;
      }
    }
  }
  return keep;
}

/** First index k with xs[k] >= v (xs ascending). */
function lowerBound(xs: Float64Array, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
