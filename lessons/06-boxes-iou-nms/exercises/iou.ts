/**
 * Exercise: IoU of two boxes in [x1, y1, x2, y2] form, checked against the
 * course's `boxIou` (torchvision.ops.box_iou semantics, except that a union of
 * 0 gives 0 rather than NaN).
 */
import * as tf from '@tensorflow/tfjs';
import { boxIou } from '../../../src/core/index';
import { defineExercise } from '../../../src/exercises/index';

type Box = [number, number, number, number];

export default defineExercise({
  id: 'iou',
  title: 'IoU of two boxes',
  entry: 'iou',
  starter: `/**
 * Intersection over union of two boxes a and b, each [x1, y1, x2, y2]
 * with x1 <= x2 and y1 <= y2 (width = x2 - x1).
 */
function iou(a, b) {
  // 1. the intersection rectangle (it may be empty)
  // 2. its area, the two boxes' areas, the union
  // 3. intersection / union
  return 0;
}
`,
  solution: `function iou(a, b) {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}
`,
  hints: [
    'The intersection is the rectangle from the larger of the two left edges to the smaller of the two right edges (and the same for top and bottom).',
    'Boxes that do not overlap give a negative width or height: clamp it to 0 with Math.max(0, ...).',
    'union = area(a) + area(b) - intersection. Two boxes of zero area have a union of 0: return 0 there instead of dividing.',
  ],
  cases: [
    // inter [1,1,2,2] = 1; union 4 + 4 - 1 = 7; IoU = 1/7
    { args: [[0, 0, 2, 2], [1, 1, 3, 3]], visible: true, label: 'partial overlap' },
    { args: [[0, 0, 1, 1], [2, 2, 3, 3]], visible: true, label: 'disjoint boxes' },
    { args: [[1, 2, 4, 6], [1, 2, 4, 6]], label: 'identical boxes' },
    { args: [[0, 0, 10, 10], [2, 2, 4, 4]], label: 'one inside the other' },
    { args: [[0, 0, 1, 1], [1, 0, 2, 1]], label: 'touching edges' },
    { args: [[0.5, 0.25, 3.5, 2.75], [1.5, -1, 2.5, 4]], label: 'fractional coordinates' },
    { args: [[2, 2, 2, 2], [2, 2, 2, 2]], label: 'zero-area boxes' },
  ],
  reference: (a: Box, b: Box) => tf.tidy(() => boxIou([a], [b]).reshape([]) as tf.Scalar),
  tolerance: { atol: 1e-5, rtol: 1e-5 },
  timeLimitMs: 3000,
});
