/**
 * Exercise: the receptive field of a stack of convolutions (or pooling
 * windows), each given as [kernel, stride, dilation]. The reference is the
 * recurrence r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}, j_l = j_{l-1} s_l
 * (Araujo et al., "Computing receptive fields of convolutional neural
 * networks", Distill 2019); the unit tests check it against the extent of
 * tf.grad of one output pixel, as the lesson's cell does.
 */
import { defineExercise } from '../../../src/exercises/index';

/** The reference: receptive field, in input pixels, of one output pixel of the whole stack. */
export function receptiveField(layers: number[][]): number {
  let r = 1;
  let jump = 1;
  for (const [k = 1, s = 1, d = 1] of layers) {
    r += d * (k - 1) * jump;
    jump *= s;
  }
  return r;
}

export default defineExercise({
  id: 'receptive-field',
  title: 'Receptive field of a stack',
  entry: 'receptiveField',
  starter: `/**
 * layers: [[k, s, d], ...] from the input up: kernel size k, stride s and
 * dilation d of each layer (d may be left out and then is 1; s too).
 * Return how many input pixels wide the receptive field of one output pixel
 * of the last layer is.
 */
function receptiveField(layers) {
  let r = 1;
  for (const [k, s = 1, d = 1] of layers) {
    r += k - 1;
  }
  return r;
}
`,
  solution: `function receptiveField(layers) {
  let r = 1, jump = 1;
  for (const [k, s = 1, d = 1] of layers) {
    // a dilated kernel spans d(k - 1) + 1 pixels of its input, and one pixel of
    // its input is jump pixels of the image apart from the next
    r += d * (k - 1) * jump;
    jump *= s;
  }
  return r;
}
`,
  hints: [
    'Keep two numbers as you walk up the stack: r, the receptive field so far, and the jump, how many input pixels apart two neighbouring pixels of the current layer are. Both start at 1.',
    'A k×k kernel with dilation d covers d(k - 1) + 1 pixels of its own input, so it widens the field by d(k - 1) of them: how many image pixels is that?',
    'r += d * (k - 1) * jump, then jump *= s.',
  ],
  cases: [
    // 1 + 2 + 2 = 5: VGG's two 3x3 layers see as much as one 5x5
    { args: [[[3, 1], [3, 1]]], visible: true, label: 'two 3×3, stride 1' },
    // 1 + 2 = 3, jump 2; then 3 + 2*2 = 7 (the self-check's quiz)
    { args: [[[3, 2], [3, 1]]], visible: true, label: 'stride 2 then 3×3' },
    // a 3x3 with dilation 2 spans 5 pixels: 1 + 2*2 = 5
    { args: [[[3, 1, 2]]], label: 'one dilated 3×3' },
    // ResNet stem: 7/2 -> 7, jump 2; pool 3/2 -> 7 + 2*2 = 11, jump 4; four 3/1 -> 11 + 4*2*4 = 43
    { args: [[[7, 2], [3, 2], [3, 1], [3, 1], [3, 1], [3, 1]]], label: 'ResNet-like stem' },
    // WaveNet-style dilations 1, 2, 4, 8 of a 2-tap kernel: 1 + 1 + 2 + 4 + 8 = 16
    { args: [[[2, 1, 1], [2, 1, 2], [2, 1, 4], [2, 1, 8]]], label: 'doubling dilations' },
    // 1x1 layers add nothing, whatever their stride: 1
    { args: [[[1, 2], [1, 1]]], label: '1×1 layers' },
    // 2/2 -> 2, jump 2; 3/1 with d=2 -> 2 + 2*2*2 = 10, jump 2; 3/2 -> 10 + 2*2 = 14
    { args: [[[2, 2], [3, 1, 2], [3, 2]]], label: 'everything at once' },
    { args: [[]], label: 'no layers' },
  ],
  reference: receptiveField,
});
