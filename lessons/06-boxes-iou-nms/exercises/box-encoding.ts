/**
 * Exercise: encode a box against an anchor as Faster R-CNN's regression
 * targets (dx, dy, dw, dh), with the box coder's weights, checked against the
 * course's `encodeBoxes` (torchvision's BoxCoder.encode: continuous widths,
 * no +1; centres x1 + w/2).
 */
import * as tf from '@tensorflow/tfjs';
import { type BoxCoderWeights, encodeBoxes } from '../../../src/core/index';
import { defineExercise } from '../../../src/exercises/index';

export default defineExercise({
  id: 'box-encoding',
  title: 'Encode a box against an anchor',
  entry: 'encode',
  starter: `/**
 * box, anchor: [x1, y1, x2, y2] (continuous: width = x2 - x1).
 * weights: [wx, wy, ww, wh], e.g. [1, 1, 1, 1] (RPN) or [10, 10, 5, 5] (box head).
 * Return [dx, dy, dw, dh]:
 *   dx = wx * (gx - ax) / aw,  dy = wy * (gy - ay) / ah   (g, a: centres)
 *   dw = ww * log(gw / aw),    dh = wh * log(gh / ah)
 */
function encode(box, anchor, weights = [1, 1, 1, 1]) {
  return [0, 0, 0, 0];
}
`,
  solution: `function encode(box, anchor, weights = [1, 1, 1, 1]) {
  const [wx, wy, ww, wh] = weights;
  const gw = box[2] - box[0], gh = box[3] - box[1];
  const aw = anchor[2] - anchor[0], ah = anchor[3] - anchor[1];
  const gx = box[0] + gw / 2, gy = box[1] + gh / 2;
  const ax = anchor[0] + aw / 2, ay = anchor[1] + ah / 2;
  return [wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * Math.log(gw / aw), wh * Math.log(gh / ah)];
}
`,
  hints: [
    'Work with centres and sizes, not corners: w = x2 - x1 and cx = x1 + w / 2.',
    'The centre offsets are divided by the anchor\'s size, so that a big and a small anchor give similar numbers.',
    'Sizes are compared with a logarithm of the ratio; then every delta is multiplied by its weight.',
  ],
  cases: [
    // a box twice as wide as its anchor, same left edge: centre moves by 5 = half the anchor's width -> dx 0.5, dw log 2
    { args: [[0, 0, 20, 10], [0, 0, 10, 10], [1, 1, 1, 1]], visible: true, label: 'twice as wide' },
    // the same pair with the box head's weights: 10 * 0.5 = 5, 5 * log 2 = 3.4657
    { args: [[0, 0, 20, 10], [0, 0, 10, 10], [10, 10, 5, 5]], visible: true, label: 'box head weights' },
    // a box equal to its anchor encodes to zeros
    { args: [[3, 4, 13, 24], [3, 4, 13, 24], [1, 1, 1, 1]], label: 'box = anchor' },
    // centre (12, 12) vs (8, 8), anchor 16 x 16: dx = dy = 4/16 = 0.25; sizes 8 / 16: log 0.5 = -0.693
    { args: [[8, 8, 16, 16], [0, 0, 16, 16], [1, 1, 1, 1]], label: 'smaller and off-centre' },
    // a py-faster-rcnn-sized anchor in continuous coordinates: [-84, -40, 100, 56] is 184 x 96
    { args: [[-50, -20, 110, 60], [-84, -40, 100, 56], [10, 10, 5, 5]], label: 'a large anchor' },
    { args: [[1.5, 2.5, 7.25, 9], [2, 2, 6, 10], [1, 1, 2, 2]], label: 'fractions and uneven weights' },
  ],
  reference: (box: number[], anchor: number[], weights: BoxCoderWeights) => tf.tidy(() => encodeBoxes([box], [anchor], weights).reshape([4])),
  tolerance: { atol: 1e-5, rtol: 1e-5 },
});
