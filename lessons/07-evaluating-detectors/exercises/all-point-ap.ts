/**
 * Exercise: all-point average precision (VOC2010+) from a precision/recall
 * list, checked against the course's `apFromPrecisionRecall` (py-faster-rcnn's
 * `voc_ap` with use_07_metric=False).
 */
import { apFromPrecisionRecall } from '../../../src/core/index';
import { defineExercise } from '../../../src/exercises/index';

export default defineExercise({
  id: 'all-point-ap',
  title: 'All-point AP from a PR curve',
  entry: 'allPointAp',
  starter: `/**
 * precision[i] and recall[i]: the values after the i-th ranked detection
 * (recall never decreases). Return the all-point interpolated AP: the area
 * under the precision envelope, with the curve padded by (recall 0, precision 0)
 * at the start and (recall 1, precision 0) at the end.
 */
function allPointAp(precision, recall) {
  return 0;
}
`,
  solution: `function allPointAp(precision, recall) {
  const mrec = [0, ...recall, 1];
  const mpre = [0, ...precision, 0];
  for (let i = mpre.length - 2; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
  let ap = 0;
  for (let i = 1; i < mrec.length; i++) ap += (mrec[i] - mrec[i - 1]) * mpre[i];
  return ap;
}
`,
  hints: [
    'Pad: recall becomes [0, ...recall, 1] and precision [0, ...precision, 0].',
    'Make precision non-increasing: walk from the right and replace each value by the max of itself and the one after it.',
    'Sum (recall[i] - recall[i-1]) * precision[i] over the padded lists: steps where recall does not change add 0.',
  ],
  cases: [
    // 3 ground truths; TP, FP, TP, FP: envelope 1 on (0, 1/3], 2/3 on (1/3, 2/3] -> 1/3 + 2/9 = 5/9
    { args: [[1, 0.5, 2 / 3, 0.5], [1 / 3, 1 / 3, 2 / 3, 2 / 3]], visible: true, label: 'TP, FP, TP, FP with 3 objects' },
    // one object found by the first detection: AP 1 whatever follows
    { args: [[1, 0.5], [1, 1]], visible: true, label: 'perfect first detection' },
    // FP first, then TP: precision 1/2 at recall 1 -> 0.5
    { args: [[0, 0.5], [0, 1]], label: 'false positive first' },
    // the envelope lifts the dip: 1 on (0, .25], max(.5, 2/3, .75) = .75 on (.25, .75], .6 on (.75, .75]...
    { args: [[1, 0.5, 2 / 3, 0.75, 0.6], [0.25, 0.25, 0.5, 0.75, 0.75]], label: 'a dip the envelope removes' },
    { args: [[], []], label: 'no detections' },
    { args: [[0, 0, 0], [0, 0, 0]], label: 'only false positives' },
    { args: [[1, 1, 1, 0.75, 0.8], [0.2, 0.4, 0.6, 0.6, 0.8]], label: 'recall stops at 0.8' },
  ],
  reference: (precision: number[], recall: number[]) => apFromPrecisionRecall(precision, recall, 'allpoint'),
  tolerance: { atol: 1e-9, rtol: 1e-9 },
  timeLimitMs: 3000,
});
