/**
 * Exercise: the output length of a convolution along one axis, the formula in
 * PyTorch's torch.nn.Conv2d documentation:
 *   out = floor((n + 2p - d(k - 1) - 1) / s) + 1
 */
import { defineExercise } from '../../../src/exercises/index';

/** The reference: PyTorch's Conv2d shape formula (checked against tf.conv2d shapes in the unit tests). */
export function convOutputSize(n: number, k: number, s = 1, p = 0, d = 1): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

export default defineExercise({
  id: 'conv-output-size',
  title: 'Output size of a convolution',
  entry: 'convOutputSize',
  starter: `/**
 * Output length along one axis of a convolution over n input pixels
 * with kernel size k, stride s, padding p (on each side) and dilation d.
 */
function convOutputSize(n, k, s = 1, p = 0, d = 1) {
  return n;
}
`,
  solution: `function convOutputSize(n, k, s = 1, p = 0, d = 1) {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}
`,
  hints: [
    'Padding adds p pixels on each side: the padded input is n + 2p long.',
    'A dilated kernel spans d(k - 1) + 1 pixels.',
    'Count the positions where the kernel fits, stepping s at a time: floor((padded - span) / s) + 1.',
  ],
  cases: [
    // floor((32 + 2 - 2 - 1)/1) + 1 = 31 + 1 = 32 ("same" padding)
    { args: [32, 3, 1, 1, 1], visible: true, label: '3x3, stride 1, padding 1' },
    // floor((32 + 2 - 2 - 1)/2) + 1 = floor(15.5) + 1 = 16
    { args: [32, 3, 2, 1, 1], visible: true, label: 'stride 2' },
    // floor((7 + 0 - 4 - 1)/1) + 1 = 3
    { args: [7, 3, 1, 0, 2], label: 'dilation 2' },
    // AlexNet conv1: floor((227 - 10 - 1)/4) + 1 = 54 + 1 = 55
    { args: [227, 11, 4, 0, 1], label: 'AlexNet conv1' },
    // floor((224 + 6 - 6 - 1)/2) + 1 = floor(111.5) + 1 = 112
    { args: [224, 7, 2, 3, 1], label: 'ResNet stem' },
    // defaults s=1, p=0, d=1: floor((5 - 0 - 1)/1) + 1 = 5 (a 1x1 conv keeps the size)
    { args: [5, 1], label: 'defaults' },
    // floor((10 + 4 - 6 - 1)/3) + 1 = floor(7/3) + 1 = 3
    { args: [10, 4, 3, 2, 2], label: 'everything at once' },
  ],
  reference: convOutputSize,
});
