/**
 * Exercise: Grad-CAM's map from a layer's activations and the gradients of the class score
 * (Selvaraju et al. 2017, eq. 1-2; the weights pytorch-grad-cam's GradCAM.get_cam_weights
 * computes): alpha_k = mean over the map of dy/dA_k, map = ReLU(sum_k alpha_k A_k).
 */
import { defineExercise } from '../../../src/exercises/index';

/** The reference (the unit tests compare it with explain.GradCam on the same numbers). */
export function gradCamMap(activations: number[][][], grads: number[][][]): number[][] {
  const h = activations[0]!.length;
  const w = activations[0]![0]!.length;
  const alpha = grads.map((g) => g.flat().reduce((s, v) => s + v, 0) / (h * w));
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => Math.max(0, activations.reduce((s, a, k) => s + alpha[k]! * a[i]![j]!, 0))));
}

export default defineExercise({
  id: 'grad-cam-map',
  title: "Grad-CAM's map from activations and gradients",
  entry: 'gradCamMap',
  starter: `/**
 * activations[k][i][j]: channel k of the target layer at row i, column j.
 * grads[k][i][j]: the gradient of the class score with respect to that activation.
 * Return the h x w Grad-CAM map: each channel's weight is the mean of its gradients,
 * the map is the weighted sum of the channels, negative values set to 0.
 */
function gradCamMap(activations, grads) {
  const h = activations[0].length, w = activations[0][0].length;
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) =>
    activations.reduce((s, a) => s + a[i][j], 0)));
}
`,
  solution: `function gradCamMap(activations, grads) {
  const h = activations[0].length, w = activations[0][0].length;
  const alpha = grads.map((g) => g.flat().reduce((s, v) => s + v, 0) / (h * w));
  return Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) =>
    Math.max(0, activations.reduce((s, a, k) => s + alpha[k] * a[i][j], 0))));
}
`,
  hints: [
    'One weight per channel: alpha_k is the average of grads[k] over all h·w positions.',
    'At each position the map is sum over k of alpha_k · activations[k][i][j].',
    'Grad-CAM keeps only positive evidence: Math.max(0, ...) at the end.',
  ],
  cases: [
    // The lesson's two-layer example (class 0): A1 = [[1,2],[3,0]], A2 = [[1.5,2],[2.5,1]];
    // alpha = [0.5, 1] -> map = x + 1 = [[2,3],[4,1]].
    { args: [[[[1, 2], [3, 0]], [[1.5, 2], [2.5, 1]]], [[[1, 0], [0, 1]], [[0, 2], [2, 0]]]], visible: true, label: 'two channels, 2x2' },
    // Class 1 of the same model: alpha = [-1, 1] -> ReLU(1 - 0.5 x) = [[0.5, 0], [0, 1]].
    { args: [[[[1, 2], [3, 0]], [[1.5, 2], [2.5, 1]]], [[[-1, -1], [-1, -1]], [[0, 0], [0, 4]]]], visible: true, label: 'negative values clipped' },
    // One channel, gradients averaging 0.25: map = 0.25 A.
    { args: [[[[4, 8, 0]]], [[[1, -1, 0.75]]]], label: 'one channel, one row' },
    // All gradients negative: every weight negative, the map is all zero.
    { args: [[[[1, 1], [1, 1]], [[2, 0], [0, 2]]], [[[-1, -1], [-1, -1]], [[-2, 0], [0, -2]]]], label: 'nothing speaks for the class' },
  ],
  reference: gradCamMap,
});
