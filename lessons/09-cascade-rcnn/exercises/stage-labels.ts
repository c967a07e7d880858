/**
 * Exercise: the labels one cascade stage trains on. Each box the stage sees is
 * matched to the ground-truth box it overlaps most (torchvision's Matcher, no
 * low-quality matches, the rule of an RoI head); at or above the stage's IoU
 * threshold it is foreground with that object's class + 1, below it background
 * (0). Checked against the course's `core.matchByIou` on `core.boxIou`, which
 * the cascade's `stageTargets` uses through `sampleRoiTargets`.
 */
import { boxIou, matchByIou } from '../../../src/core/index';
import { defineExercise } from '../../../src/exercises/index';
import * as tf from '@tensorflow/tfjs';

/** The reference: matchByIou with high = low = the stage's threshold. */
export function stageLabelsReference(boxes: number[][], truths: number[][], truthLabels: number[], iouThreshold: number): number[] {
  if (truths.length === 0) return boxes.map(() => 0);
  if (boxes.length === 0) return [];
  const matches = tf.tidy(() => matchByIou(boxIou(truths, boxes), { highThreshold: iouThreshold, lowThreshold: iouThreshold }));
  return matches.map((m) => (m >= 0 ? truthLabels[m]! + 1 : 0));
}

export default defineExercise({
  id: 'stage-labels',
  title: "One stage's labels: foreground at its IoU",
  entry: 'stageLabels',
  starter: `/**
 * boxes: [[x1, y1, x2, y2], ...], the boxes a stage sees (its proposals).
 * truths: [[x1, y1, x2, y2], ...], the objects; truthLabels[j] is truth j's class (0..9).
 * Return one label per box: truthLabels[j] + 1 for the truth j it overlaps most (the first on
 * equal IoU) when that IoU is at least iouThreshold, else 0 (background).
 */
function stageLabels(boxes, truths, truthLabels, iouThreshold) {
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = iw * ih;
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0;
  };
  return boxes.map(() => 0);
}
`,
  solution: `function stageLabels(boxes, truths, truthLabels, iouThreshold) {
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = iw * ih;
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0;
  };
  return boxes.map((b) => {
    let best = -1, bestIou = -1;
    truths.forEach((t, j) => {
      const v = iou(b, t);
      if (v > bestIou) { bestIou = v; best = j; }
    });
    return best >= 0 && bestIou >= iouThreshold ? truthLabels[best] + 1 : 0;
  });
}
`,
  hints: [
    'For each box find the truth with the highest IoU; keep the first one on equal IoU.',
    'Only the best truth counts: a box is foreground when that best IoU reaches the threshold.',
    'The label is the class + 1, because 0 means background for the box head.',
  ],
  cases: [
    // truth [0,0,10,10] class 2; boxes share three edges, IoU = height/10: 0.8, 0.65, 0.55, 0.4
    { args: [[[0, 0, 10, 8], [0, 0, 10, 6.5], [0, 0, 10, 5.5], [0, 0, 10, 4]], [[0, 0, 10, 10]], [2], 0.5], visible: true, label: 'stage 1 (0.5): three foreground' },
    { args: [[[0, 0, 10, 8], [0, 0, 10, 6.5], [0, 0, 10, 5.5], [0, 0, 10, 4]], [[0, 0, 10, 10]], [2], 0.6], visible: true, label: 'stage 2 (0.6): two' },
    { args: [[[0, 0, 10, 8], [0, 0, 10, 6.5], [0, 0, 10, 5.5], [0, 0, 10, 4]], [[0, 0, 10, 10]], [2], 0.7], visible: true, label: 'stage 3 (0.7): one' },
    // IoU exactly 0.6 (height 6): at least the threshold is foreground
    { args: [[[0, 0, 10, 6]], [[0, 0, 10, 10]], [7], 0.6], label: 'IoU equal to the threshold' },
    // two digits: [0,0,10,10] class 1 and [8,0,18,10] class 4; box [6,0,16,10] overlaps the second more (80/120 vs 40/160)
    { args: [[[6, 0, 16, 10], [1, 0, 11, 10]], [[0, 0, 10, 10], [8, 0, 18, 10]], [1, 4], 0.5], label: 'the best-overlapping digit gives the class' },
    { args: [[[0, 0, 5, 5]], [], [], 0.5], label: 'no objects: all background' },
    { args: [[], [[0, 0, 5, 5]], [3], 0.5], label: 'no boxes' },
    // equal IoU with two truths (mirror images around the box): the first truth wins
    { args: [[[5, 0, 15, 10]], [[0, 0, 10, 10], [10, 0, 20, 10]], [0, 9], 0.3], label: 'equal IoU: the first truth' },
  ],
  reference: stageLabelsReference,
  timeLimitMs: 3000,
});
