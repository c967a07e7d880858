/**
 * Exercise: the cells each RoIPool bin reads for one RoI, checked against the
 * course's `roiGrids` (which matches `core.roiPool`, torchvision's CPU kernel,
 * bin by bin: test/models/detectors/rcnn.test.ts).
 */
import { roiGrids } from '../../../src/models/index';
import { defineExercise } from '../../../src/exercises/index';

export default defineExercise({
  id: 'roi-pool-bins',
  title: "RoIPool's bins for one RoI",
  entry: 'poolBins',
  starter: `/**
 * roi: [x1, y1, x2, y2] in image pixels; outputSize: n bins a side; spatialScale: 1 / stride.
 * Return the n * n bins, row-major, each [cx1, cy1, cx2, cy2] in feature cells (cx2, cy2 exclusive):
 *   1. scale each corner and round it to a whole cell, halves away from zero: q = round(v * spatialScale)
 *   2. the rounded RoI spans cells qx1..qx2 inclusive: roiW = max(qx2 - qx1 + 1, 1) (same for y)
 *   3. bin p along an axis covers [floor(p * roiW / n), ceil((p + 1) * roiW / n)) + qx1
 */
function poolBins(roi, outputSize, spatialScale) {
  return [];
}
`,
  solution: `function poolBins(roi, outputSize, spatialScale) {
  const round = (v) => Math.sign(v) * Math.round(Math.abs(v));
  const [qx1, qy1, qx2, qy2] = roi.map((v) => round(v * spatialScale));
  const roiW = Math.max(qx2 - qx1 + 1, 1), roiH = Math.max(qy2 - qy1 + 1, 1);
  const n = outputSize, bins = [];
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      bins.push([
        Math.floor((q * roiW) / n) + qx1, Math.floor((p * roiH) / n) + qy1,
        Math.ceil(((q + 1) * roiW) / n) + qx1, Math.ceil(((p + 1) * roiH) / n) + qy1,
      ]);
    }
  }
  return bins;
}
`,
  hints: [
    'Work in feature cells: multiply every corner by spatialScale, then round. JavaScript\'s Math.round sends -2.5 to -2; the kernel\'s C round sends it to -3.',
    'The rounded RoI includes its last cell: from qx1 to qx2 is qx2 - qx1 + 1 cells.',
    'A bin is floor(start) to ceil(end) of its share of the cells, so neighbouring bins can share one cell.',
  ],
  cases: [
    // Lesson's worked RoI: x 10..27 px at stride 4 → cells 2.5..6.75 → rounded 3..7 (5 cells); y 0..32 → 0..8 (9 cells); 2 bins a side
    { args: [[10, 0, 27, 32], 2, 1 / 4], visible: true, label: 'the lesson\'s RoI' },
    // x 21 px at stride 8 → 2.625 → 3; a 3 x 3 grid
    { args: [[21, 5, 70, 60], 3, 1 / 8], visible: true, label: 'stride 8, 3 x 3' },
    { args: [[0, 0, 15, 15], 7, 1 / 16], label: 'a RoI smaller than one cell' },
    { args: [[12, 12, 20, 20], 2, 1 / 8], label: 'corners on halves: 1.5 → 2, 2.5 → 3' },
    { args: [[3, 40, 120, 47], 4, 1 / 4], label: 'a long thin RoI' },
    { args: [[33, 17, 95, 111], 7, 1 / 8], label: '7 x 7, as Fast R-CNN' },
  ],
  reference: (roi: number[], outputSize: number, spatialScale: number) => roiGrids(roi, { outputSize, spatialScale }).poolBins,
  tolerance: { atol: 0, rtol: 0 },
});
