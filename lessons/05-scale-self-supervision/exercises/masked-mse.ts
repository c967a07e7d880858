/**
 * Exercise: MAE's loss on plain arrays (facebookresearch/mae models_mae.py
 * forward_loss): the mean squared error of each patch, averaged over the
 * masked patches only.
 */
import { defineExercise } from '../../../src/exercises/index';

/** The reference (checked against models.ssl.maeLoss in the unit tests). */
export function maskedMse(pred: number[][], target: number[][], mask: number[]): number {
  let sum = 0;
  let count = 0;
  pred.forEach((patch, l) => {
    if (!mask[l]) return;
    sum += patch.reduce((s, v, j) => s + (v - target[l]![j]!) ** 2, 0) / patch.length;
    count++;
  });
  return sum / count;
}

export default defineExercise({
  id: 'masked-mse',
  title: "MAE's loss: masked patches only",
  entry: 'maskedMse',
  starter: `/**
 * pred and target: arrays of L patches, each an array of pixel values.
 * mask: L numbers, 1 where the patch was hidden from the encoder, 0 where visible.
 * Return the mean squared error of each patch (mean over its pixels),
 * averaged over the MASKED patches only.
 */
function maskedMse(pred, target, mask) {
  let sum = 0;
  for (let l = 0; l < pred.length; l++)
    for (let j = 0; j < pred[l].length; j++) sum += (pred[l][j] - target[l][j]) ** 2;
  return sum / (pred.length * pred[0].length);
}
`,
  solution: `function maskedMse(pred, target, mask) {
  let sum = 0, count = 0;
  for (let l = 0; l < pred.length; l++) {
    if (!mask[l]) continue;
    let e = 0;
    for (let j = 0; j < pred[l].length; j++) e += (pred[l][j] - target[l][j]) ** 2;
    sum += e / pred[l].length;
    count++;
  }
  return sum / count;
}
`,
  hints: [
    'Visible patches (mask 0) do not count at all: the encoder saw them.',
    'First the mean over the pixels of one patch, then the mean over the masked patches.',
    'Divide by the number of masked patches, not by L.',
  ],
  cases: [
    // patch 0 masked: ((1-0)^2 + (2-0)^2)/2 = 2.5; patch 1 visible, ignored; patch 2 masked: (9 + 0)/2 = 4.5 -> 3.5
    { args: [[[1, 2], [9, 9], [0, 0]], [[0, 0], [0, 0], [3, 0]], [1, 0, 1]], visible: true, label: 'two masked, one visible' },
    // all visible patches wrong, the masked one exact: 0
    { args: [[[5, 5], [1, 1]], [[0, 0], [1, 1]], [0, 1]], visible: true, label: 'a perfect masked patch' },
    // one masked patch of 4 pixels: (1 + 1 + 0 + 4) / 4 = 1.5
    { args: [[[1, 1, 0, 2], [7, 7, 7, 7]], [[0, 0, 0, 0], [0, 0, 0, 0]], [1, 0]], label: 'one masked of two' },
    // every patch masked: plain mean of per-patch MSEs (1 and 0) = 0.5
    { args: [[[1], [0]], [[0], [0]], [1, 1]], label: 'all masked' },
  ],
  reference: maskedMse,
});
