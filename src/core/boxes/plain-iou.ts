/**
 * IoU of two [x1, y1, x2, y2] boxes held in plain arrays: the one scalar IoU
 * the course uses outside tensors (NMS's inner loops, the scene generators'
 * overlap test). A box is read from offset `ai` of `a` and `bi` of `b`, so a
 * flat `[N*4]` buffer needs no copies. 0 when the boxes do not overlap (no NaN
 * for empty boxes), as torchvision's `box_iou` gives for disjoint boxes.
 *
 * @example
 * plainBoxIou([0, 0, 2, 2], [1, 1, 3, 3]); // 1 / 7
 * plainBoxIou(flat, flat, 4 * i, 4 * j);   // boxes i and j of a flat buffer
 */
export function plainBoxIou(a: ArrayLike<number>, b: ArrayLike<number>, ai = 0, bi = 0): number {
  const w = Math.min(a[ai + 2], b[bi + 2]) - Math.max(a[ai], b[bi]);
  const h = Math.min(a[ai + 3], b[bi + 3]) - Math.max(a[ai + 1], b[bi + 1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const areaA = (a[ai + 2] - a[ai]) * (a[ai + 3] - a[ai + 1]);
  const areaB = (b[bi + 2] - b[bi]) * (b[bi + 3] - b[bi + 1]);
  return inter / (areaA + areaB - inter);
}
