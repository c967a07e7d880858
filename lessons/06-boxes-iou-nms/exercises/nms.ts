/**
 * Exercise: greedy non-maximum suppression, checked against the course's
 * `nms` (torchvision.ops.nms semantics: a box is dropped when its IoU with a
 * kept box is greater than the threshold; equal scores keep the lower index first).
 */
import { nms } from '../../../src/core/index';
import { defineExercise } from '../../../src/exercises/index';

export default defineExercise({
  id: 'nms',
  title: 'Greedy NMS',
  entry: 'nms',
  starter: `/**
 * boxes: [[x1, y1, x2, y2], ...], scores: one number per box.
 * Return the indices of the boxes greedy NMS keeps, best score first.
 * A box is dropped when its IoU with an already kept box is > iouThreshold.
 * On equal scores, the lower index comes first.
 */
function nms(boxes, scores, iouThreshold) {
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = iw * ih;
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0;
  };
  // 1. order the indices by score, highest first
  // 2. walk them: keep a box unless it overlaps a kept box by more than the threshold
  return [];
}
`,
  solution: `function nms(boxes, scores, iouThreshold) {
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = iw * ih;
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0;
  };
  const order = scores.map((_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
  const kept = [];
  for (const i of order) {
    if (kept.every((k) => iou(boxes[k], boxes[i]) <= iouThreshold)) kept.push(i);
  }
  return kept;
}
`,
  hints: [
    'Sort the indices, not the boxes: scores.map((_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j).',
    'Walking the sorted indices, a box survives only if its IoU with every box kept so far is <= the threshold.',
    'Comparing with the kept boxes only (not with the dropped ones) is what makes it greedy: a dropped box suppresses nothing.',
  ],
  cases: [
    // IoU(0, 1) = 81 / 119 = 0.68 > 0.5: box 1 goes; box 2 does not touch box 0
    { args: [[[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5], visible: true, label: 'one duplicate' },
    // unsorted scores: 2 is best and removes 0 (IoU 0.68); 1 stays
    { args: [[[1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 10]], [0.5, 0.6, 0.9], 0.5], visible: true, label: 'scores out of order' },
    // chain: A-B 0.68, B-C 0.68, A-C 0.47: B is dropped by A, so C survives
    { args: [[[0, 0, 10, 10], [1, 1, 11, 11], [2, 2, 12, 12]], [0.9, 0.8, 0.7], 0.5], label: 'a dropped box suppresses nothing' },
    { args: [[[0, 0, 10, 10], [1, 1, 11, 11], [2, 2, 12, 12]], [0.9, 0.8, 0.7], 1], label: 'threshold 1 keeps everything' },
    { args: [[[0, 0, 10, 10], [9, 9, 19, 19], [10, 0, 20, 10]], [0.9, 0.8, 0.7], 0], label: 'threshold 0 drops any overlap, not touching' },
    { args: [[[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10]], [0.5, 0.5, 0.5], 0.5], label: 'equal scores: lower index first' },
    { args: [[], [], 0.5], label: 'no boxes' },
  ],
  reference: (boxes: number[][], scores: number[], t: number) => nms(boxes, scores, t),
  timeLimitMs: 3000,
});
