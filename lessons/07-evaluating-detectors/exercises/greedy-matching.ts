/**
 * Exercise: the VOC devkit's greedy TP/FP matching of one image and one class,
 * checked against the course's `evaluateVoc` (VOCevaldet.m): detections in
 * score order (ties in input order) each take the ground truth with the
 * highest IoU; a true positive when that IoU is at least the threshold and
 * that ground truth is still free, a false positive otherwise, even when
 * another, free ground truth also passes the threshold.
 */
import { evaluateVoc } from '../../../src/core/index';
import { defineExercise } from '../../../src/exercises/index';

/**
 * The reference: one COCO image and category fed to `evaluateVoc`. Without
 * crowd regions, a detection is a TP exactly when recall rises at its rank, so
 * the verdicts are read off the recall list and put back in input order.
 */
export function vocVerdicts(detections: number[][], truths: number[][], iouThreshold: number): string[] {
  const toXywh = (b: number[]) => [b[0]!, b[1]!, b[2]! - b[0]!, b[3]! - b[1]!];
  const groundTruth = {
    images: [{ id: 1 }],
    categories: [{ id: 1, name: 'object' }],
    annotations: truths.map((t, j) => ({ id: j + 1, image_id: 1, category_id: 1, bbox: toXywh(t), area: (t[2]! - t[0]!) * (t[3]! - t[1]!), iscrowd: 0 })),
  };
  const dets = detections.map((d) => ({ image_id: 1, category_id: 1, bbox: toXywh(d), score: d[4]! }));
  const { recall } = evaluateVoc(groundTruth, dets, { iouThreshold }).perCategory[0]!;
  // evaluateVoc's ranking: score high to low, ties in input order
  const order = dets.map((_, i) => i).sort((a, b) => dets[b]!.score - dets[a]!.score || a - b);
  const verdicts: string[] = new Array(dets.length);
  order.forEach((i, r) => {
    verdicts[i] = recall[r]! > (r > 0 ? recall[r - 1]! : 0) ? 'TP' : 'FP';
  });
  return verdicts;
}

export default defineExercise({
  id: 'greedy-matching',
  title: 'TP or FP: greedy matching, VOC rules',
  entry: 'matchDetections',
  starter: `/**
 * detections: [[x1, y1, x2, y2, score], ...], all of one class in one image.
 * truths: [[x1, y1, x2, y2], ...], the ground-truth boxes of that class.
 * Return 'TP' or 'FP' for each detection, in the order they were given.
 *
 * VOC rules: visit the detections by score, highest first (equal scores:
 * the earlier one first). Each one looks at the ground truth it overlaps
 * most (the first one on equal IoU). It is a TP when that IoU is at least
 * iouThreshold and that ground truth is not yet taken (and then takes it);
 * otherwise it is an FP.
 */
function matchDetections(detections, truths, iouThreshold) {
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = iw * ih;
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0;
  };
  return detections.map(() => 'FP');
}
`,
  solution: `function matchDetections(detections, truths, iouThreshold) {
  const iou = (a, b) => {
    const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = iw * ih;
    const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0;
  };
  const order = detections.map((_, i) => i).sort((a, b) => detections[b][4] - detections[a][4] || a - b);
  const taken = truths.map(() => false);
  const verdicts = detections.map(() => 'FP');
  for (const i of order) {
    let best = -1, bestIou = 0;
    truths.forEach((t, j) => {
      const v = iou(detections[i], t);
      if (v > bestIou) { bestIou = v; best = j; }
    });
    // the best match only: if it is taken, this detection is a duplicate
    if (best >= 0 && bestIou >= iouThreshold && !taken[best]) {
      taken[best] = true;
      verdicts[i] = 'TP';
    }
  }
  return verdicts;
}
`,
  hints: [
    'Sort the indices, not the detections, so that you can write each verdict back at its own position.',
    'For each detection find the single ground truth with the highest IoU, taken or not.',
    'If that best ground truth is already taken, the detection is an FP. Do not move on to the next-best ground truth: that is COCO\'s rule, not VOC\'s.',
  ],
  cases: [
    // one digit, two boxes: the exact box (0.9) takes it; the shifted one (IoU 81/119 = 0.68) finds it taken
    { args: [[[0, 0, 10, 10, 0.9], [1, 1, 11, 11, 0.8]], [[0, 0, 10, 10]], 0.5], visible: true, label: 'a duplicate' },
    // the same two boxes given in the other order: the verdicts follow the scores, not the input order
    { args: [[[1, 1, 11, 11, 0.8], [0, 0, 10, 10, 0.9]], [[0, 0, 10, 10]], 0.5], visible: true, label: 'the score decides who comes first' },
    // G0 = [0,0,10,10], G1 = [5,0,15,10]. A = G0 takes G0 (its IoU with G1 is 50/150 = 0.33).
    // B = [2,0,12,10]: IoU with G0 = 80/120 = 0.67 (best, taken), with G1 = 70/130 = 0.54 (free, passes): VOC says FP.
    { args: [[[0, 0, 10, 10, 0.9], [2, 0, 12, 10, 0.8]], [[0, 0, 10, 10], [5, 0, 15, 10]], 0.5], visible: true, label: 'best ground truth already taken' },
    // IoU exactly 1/2 (inter 1, union 2): at least the threshold counts
    { args: [[[0, 0, 1, 1, 0.7]], [[0, 0, 2, 1]], 0.5], label: 'IoU equal to the threshold' },
    { args: [[[0, 0, 5, 5, 0.9], [3, 3, 8, 8, 0.2]], [], 0.5], label: 'no ground truth' },
    { args: [[], [[0, 0, 5, 5]], 0.5], label: 'no detections' },
    // equal scores: the first given is visited first and takes the digit
    { args: [[[0, 0, 10, 10, 0.5], [0, 0, 10, 10, 0.5]], [[0, 0, 10, 10]], 0.5], label: 'equal scores' },
    // [21,21,31,31] vs G1 = 81/119 = 0.68: TP; [0,0,5,10] vs G0 = 50/100 = 0.5: TP;
    // [40,40,50,50] overlaps nothing: FP; [20,20,30,30] scores lowest, G1 already taken: FP
    { args: [[[21, 21, 31, 31, 0.6], [0, 0, 5, 10, 0.95], [40, 40, 50, 50, 0.99], [20, 20, 30, 30, 0.3]], [[0, 0, 10, 10], [20, 20, 30, 30]], 0.5], label: 'a mixed image' },
    // at 0.75 the shifted box (0.68) no longer matches, so the exact one, scored lower, still takes the digit
    { args: [[[1, 1, 11, 11, 0.9], [0, 0, 10, 10, 0.8]], [[0, 0, 10, 10]], 0.75], label: 'a stricter threshold' },
  ],
  reference: vocVerdicts,
  timeLimitMs: 3000,
});
