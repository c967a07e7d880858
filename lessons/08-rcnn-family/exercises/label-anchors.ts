/**
 * Exercise: the RPN's anchor labels by IoU, checked against the course's
 * `labelAnchors` (torchvision's RegionProposalNetwork.assign_targets_to_anchors:
 * the Matcher with allow_low_quality_matches).
 */
import { labelAnchors } from '../../../src/models/index';
import { defineExercise } from '../../../src/exercises/index';

export default defineExercise({
  id: 'label-anchors',
  title: 'Label anchors by IoU',
  entry: 'labelAnchors',
  starter: `/**
 * anchors, gtBoxes: arrays of [x1, y1, x2, y2]; high, low: IoU thresholds (the RPN: 0.7, 0.3).
 * Return one label per anchor: 1 positive, 0 negative, -1 ignored.
 *   - best = the anchor's highest IoU with any ground-truth box
 *   - best >= high → 1; best < low → 0; otherwise -1
 *   - then, for each ground-truth box, every anchor whose IoU with it equals that box's own
 *     highest IoU over all anchors (ties included, as torchvision; even when that is 0) becomes 1
 *   - no ground-truth boxes: every anchor is 0
 */
function labelAnchors(anchors, gtBoxes, high = 0.7, low = 0.3) {
  return anchors.map(() => 0);
}
`,
  solution: `function labelAnchors(anchors, gtBoxes, high = 0.7, low = 0.3) {
  const iou = (a, b) => {
    const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h;
    return union > 0 ? (w * h) / union : 0;
  };
  if (gtBoxes.length === 0) return anchors.map(() => 0);
  const m = gtBoxes.map((g) => anchors.map((a) => iou(g, a)));
  const labels = anchors.map((_, i) => {
    const best = Math.max(...m.map((row) => row[i]));
    return best >= high ? 1 : best < low ? 0 : -1;
  });
  for (const row of m) {
    const top = Math.max(...row);
    row.forEach((v, i) => { if (v === top) labels[i] = 1; });
  }
  return labels;
}
`,
  hints: [
    'Build the IoU matrix first: one row per ground-truth box, one column per anchor.',
    "An anchor's label from its column's maximum; 0.7 itself is positive and 0.3 itself is ignored.",
    "The low-quality rule runs per row: the row's maximum, and every anchor that reaches it exactly.",
  ],
  cases: [
    // IoU 1 → positive; IoU 0 → negative
    { args: [[[0, 0, 10, 10], [20, 20, 30, 30]], [[0, 0, 10, 10]]], visible: true, label: 'one exact anchor' },
    // [0,0,10,10] vs gt [0,0,10,15]: IoU 100/150 = 0.667 → between, but it is the gt's best anchor → positive
    { args: [[[0, 0, 10, 10], [5, 0, 15, 10], [40, 40, 50, 50]], [[0, 0, 10, 15]]], visible: true, label: 'best anchor rescued' },
    // IoU 0.5 with the only gt, but another anchor is better → ignored
    { args: [[[0, 0, 10, 10], [0, 0, 10, 20], [0, 0, 10, 18]], [[0, 0, 10, 19]]], label: 'ignored between the thresholds' },
    { args: [[[0, 0, 8, 8], [8, 0, 16, 8], [0, 8, 8, 16], [8, 8, 16, 16]], [[4, 0, 12, 8]]], label: 'a tie: both best anchors positive' },
    { args: [[[0, 0, 10, 10], [10, 10, 20, 20]], []], label: 'no objects' },
    { args: [[[0, 0, 16, 16], [8, 8, 24, 24], [16, 16, 32, 32], [0, 16, 16, 32]], [[2, 2, 16, 16], [18, 18, 32, 30]], 0.7, 0.3], label: 'two objects' },
  ],
  reference: (anchors: number[][], gtBoxes: number[][], high = 0.7, low = 0.3) => Array.from(labelAnchors(anchors, gtBoxes, { highThreshold: high, lowThreshold: low }).labels),
  tolerance: { atol: 0, rtol: 0 },
});
