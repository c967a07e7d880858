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
 * The greedy loop over boxes pre-sorted by `order`, with the candidates
 * bucketed on a grid by their top-left corner. A cell is at least as wide as
 * the widest box and as tall as the tallest, so a box can overlap only boxes
 * whose corner lies in the cells that (x1 - widest .. x2) x (y1 - tallest .. y2)
 * touch: at most 3 x 3 cells. The grid has about N cells, so a sparse scene
 * visits a handful of candidates per kept box; decided candidates (earlier in
 * score order, or suppressed) cost one comparison. Same result as the
 * all-pairs loop; dense scenes fall back to O(N·kept) like torchvision.
 */
export function greedyNms(boxes: ArrayLike<number>, order: Int32Array, iouThreshold: number, maxOutputSize = Infinity): number[] {
  const n = order.length;
  if (n === 0) return [];
  let widest = 0, tallest = 0;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let k = 0; k < n; k++) {
    const o = 4 * order[k];
    const x = boxes[o], y = boxes[o + 1];
    widest = Math.max(widest, boxes[o + 2] - x);
    tallest = Math.max(tallest, boxes[o + 3] - y);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const side = Math.max(1, Math.floor(Math.sqrt(n)));
  const cellW = Math.max(widest, (maxX - minX) / side) || 1;
  const cellH = Math.max(tallest, (maxY - minY) / side) || 1;
  const nx = Math.min(side + 1, Math.floor((maxX - minX) / cellW) + 1);
  const ny = Math.min(side + 1, Math.floor((maxY - minY) / cellH) + 1);
  const cellX = (x: number) => Math.min(nx - 1, Math.max(0, Math.floor((x - minX) / cellW)));
  const cellY = (y: number) => Math.min(ny - 1, Math.max(0, Math.floor((y - minY) / cellH)));
  // Counting sort by cell: slot s holds the box at score position pos[s]; cells
  // keep score order inside, and the fields are stored by slot so a cell is one run.
  const cellOf = new Int32Array(n);
  const start = new Int32Array(nx * ny + 1);
  for (let k = 0; k < n; k++) {
    const o = 4 * order[k];
    const c = cellY(boxes[o + 1]) * nx + cellX(boxes[o]);
    cellOf[k] = c;
    start[c + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nx * ny);
  const xs1 = new Float64Array(n), ys1 = new Float64Array(n), xs2 = new Float64Array(n), ys2 = new Float64Array(n);
  const area = new Float64Array(n);
  const pos = new Int32Array(n);
  const slotOf = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const s = fill[cellOf[k]]++;
    const o = 4 * order[k];
    xs1[s] = boxes[o];
    ys1[s] = boxes[o + 1];
    xs2[s] = boxes[o + 2];
    ys2[s] = boxes[o + 3];
    area[s] = (xs2[s] - xs1[s]) * (ys2[s] - ys1[s]);
    pos[s] = k;
    slotOf[k] = s;
  }
  const suppressed = new Uint8Array(n); // by slot
  const keep: number[] = [];
  for (let i = 0; i < n && keep.length < maxOutputSize; i++) {
    const si = slotOf[i];
    if (suppressed[si]) continue;
    keep.push(order[i]);
    const ix1 = xs1[si], iy1 = ys1[si], ix2 = xs2[si], iy2 = ys2[si], ia = area[si];
    const cx0 = cellX(ix1 - widest), cx1 = cellX(ix2);
    const cy1 = cellY(iy2);
    for (let cy = cellY(iy1 - tallest); cy <= cy1; cy++) {
      // The cells of one grid row from cx0 to cx1 are one contiguous run of slots.
      const end = start[cy * nx + cx1 + 1];
      for (let s = start[cy * nx + cx0]; s < end; s++) {
        if (pos[s] <= i || suppressed[s]) continue;
        const w = Math.min(ix2, xs2[s]) - Math.max(ix1, xs1[s]);
        if (w <= 0) continue;
        const h = Math.min(iy2, ys2[s]) - Math.max(iy1, ys1[s]);
        if (h <= 0) continue;
        const inter = w * h;
        if (inter / (ia + area[s] - inter) > iouThreshold) suppressed[s] = 1;
      }
    }
  }
  return keep;
}
