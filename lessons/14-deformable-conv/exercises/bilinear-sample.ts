/**
 * Exercise: the bilinear sample of deformable convolution, with zero outside
 * the image (torchvision deform_conv2d_kernel.cpp, bilinear_interpolate: 0 when
 * y <= -1, y >= H, x <= -1 or x >= W; corners outside the image read 0).
 */
import { defineExercise } from '../../../src/exercises/index';

/** The reference (checked against core.deformConv2d with a 1x1 kernel in the unit tests). */
export function bilinearSample(image: number[][], y: number, x: number): number {
  const h = image.length;
  const w = h ? image[0]!.length : 0;
  if (y <= -1 || y >= h || x <= -1 || x >= w) return 0;
  const y0 = Math.floor(y);
  const x0 = Math.floor(x);
  const ly = y - y0;
  const lx = x - x0;
  const at = (r: number, c: number) => (r >= 0 && r < h && c >= 0 && c < w ? image[r]![c]! : 0);
  return (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x0 + 1) + ly * (1 - lx) * at(y0 + 1, x0) + ly * lx * at(y0 + 1, x0 + 1);
}

export default defineExercise({
  id: 'bilinear-sample',
  title: 'A bilinear sample with zero outside',
  entry: 'bilinearSample',
  starter: `/**
 * The value of image (an array of rows) at the real point (y, x):
 * bilinear interpolation of the 4 pixels around it, pixels outside the image count as 0.
 */
function bilinearSample(image, y, x) {
  return image[Math.round(y)][Math.round(x)];
}
`,
  solution: `function bilinearSample(image, y, x) {
  const h = image.length, w = image[0].length;
  const y0 = Math.floor(y), x0 = Math.floor(x), ly = y - y0, lx = x - x0;
  const at = (r, c) => (r >= 0 && r < h && c >= 0 && c < w ? image[r][c] : 0);
  return (1 - ly) * (1 - lx) * at(y0, x0) + (1 - ly) * lx * at(y0, x0 + 1)
       + ly * (1 - lx) * at(y0 + 1, x0) + ly * lx * at(y0 + 1, x0 + 1);
}
`,
  hints: [
    'The four pixels are rows floor(y), floor(y) + 1 and columns floor(x), floor(x) + 1.',
    'With ly = y - floor(y) and lx = x - floor(x), the weights are (1-ly)(1-lx), (1-ly)lx, ly(1-lx) and ly·lx.',
    'Read a pixel through a helper that returns 0 when the row or column is outside the image.',
  ],
  cases: [
    // (0.25, 0.5) in [[1,2],[3,5]]: .75·.5·1 + .75·.5·2 + .25·.5·3 + .25·.5·5 = 2.125
    { args: [[[1, 2], [3, 5]], 0.25, 0.5], visible: true, label: 'inside, fractional' },
    // an integer point reads the pixel itself: 5
    { args: [[[1, 2], [3, 5]], 1, 1], visible: true, label: 'on a pixel' },
    // (-0.5, 0.5): the row above is outside (0): .5·.5·1 + .5·.5·2 = 0.75
    { args: [[[1, 2], [3, 5]], -0.5, 0.5], label: 'half above the image' },
    // (1.5, 0): the row below is outside: .5·3 = 1.5
    { args: [[[1, 2], [3, 5]], 1.5, 0], label: 'half below the image' },
    // far outside: 0
    { args: [[[1, 2], [3, 5]], 4, -3], label: 'far outside' },
    // 3x3 ramp 3y + x at (1.2, 0.7): linear, so exactly 3·1.2 + 0.7 = 4.3
    { args: [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], 1.2, 0.7], label: 'a ramp' },
  ],
  reference: bilinearSample,
});
