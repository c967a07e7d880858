/**
 * Exercise: map a box found in the letterboxed, square model input back to the
 * photo's pixels. Graded against the course's pipeline: `unletterboxBox` with
 * the transform `letterboxTransform` computes (src/models/pretrained/letterbox.ts),
 * the same code `detector.detect` uses.
 */
import { letterboxTransform, unletterboxBox, type Box } from '../../../src/models/pretrained/index';
import { defineExercise } from '../../../src/exercises/index';

/** The reference: the detectors' own letterbox arithmetic. */
export function unletterbox(box: Box, width: number, height: number, inputSize: number): Box {
  return unletterboxBox(box, letterboxTransform(width, height, inputSize));
}

export default defineExercise({
  id: 'unletterbox',
  title: 'From the letterboxed input back to the photo',
  entry: 'unletterbox',
  starter: `/**
 * A detector saw a width x height photo letterboxed into an inputSize x inputSize
 * square and found box = [x1, y1, x2, y2] in that square's pixels.
 * Return the box in the photo's pixels, clipped to the photo.
 */
function unletterbox(box, width, height, inputSize) {
  return box;
}
`,
  solution: `function unletterbox(box, width, height, inputSize) {
  const s = inputSize / Math.max(width, height);
  const w = Math.max(1, Math.min(inputSize, Math.round(width * s)));
  const h = Math.max(1, Math.min(inputSize, Math.round(height * s)));
  const scaleX = w / width, scaleY = h / height;
  const padX = Math.floor((inputSize - w) / 2), padY = Math.floor((inputSize - h) / 2);
  const clip = (v, hi) => Math.min(hi, Math.max(0, v));
  return [
    clip((box[0] - padX) / scaleX, width),
    clip((box[1] - padY) / scaleY, height),
    clip((box[2] - padX) / scaleX, width),
    clip((box[3] - padY) / scaleY, height),
  ];
}
`,
  hints: [
    'The photo is scaled by s = inputSize / max(width, height), so its longer side fills the square.',
    'The resized photo is round(width * s) by round(height * s) pixels; the exact scale per axis is that rounded size divided by the original size.',
    'The padding is split evenly, the smaller half first: padX = floor((inputSize - resizedWidth) / 2), the same for y.',
    'Undo the letterbox: x = (u - padX) / scaleX, y = (v - padY) / scaleY; then clip each coordinate to [0, width] or [0, height].',
  ],
  cases: [
    // car park 704x576 into 512: scale 512/704, 419 rows, padY = floor(93/2) = 46 -> [137.5, 0, 275, 576]
    { args: [[100, 46, 200, 465], 704, 576, 512], visible: true, label: 'the car park in CenterNet’s 512 square' },
    // portrait 480x640 into 512: s = 0.8, 384 columns, padX = 64 -> the whole photo
    { args: [[64, 0, 448, 512], 480, 640, 512], visible: true, label: 'a portrait photo: padding left and right' },
    // 1280x720 into NanoDet's 416: s = 0.325, 234 rows, padY = 91
    { args: [[100, 100, 200, 200], 1280, 720, 416], label: 'a 16:9 photo in NanoDet’s 416 square' },
    // part of the box in the top padding: y clips to 0
    { args: [[-10, 10, 50, 40], 704, 576, 512], label: 'a box reaching into the padding' },
    // wholly in the bottom padding: both y clip to 576, a box of zero height
    { args: [[0, 480, 512, 500], 704, 576, 512], label: 'a box inside the padding' },
    // 333x100 into 512: s = 1.5375, round(153.75) = 154 rows, scaleY = 1.54, padY = 179
    { args: [[10, 180, 500, 330], 333, 100, 512], label: 'rounding: the two axes scale differently' },
    // a small image is scaled up: 10x3 into 416, s = 41.6, 125 rows, padY = 145
    { args: [[41.6, 150, 208, 260], 10, 3, 416], label: 'a tiny image, scaled up' },
  ],
  reference: unletterbox,
  tolerance: { atol: 1e-6, rtol: 1e-6 },
});
