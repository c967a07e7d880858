import * as tf from '@tensorflow/tfjs';
import { type BoxesLike, boxColumns, checkBoxValues, toBoxes } from './box-input';
import { fail } from '../../util/validate';
import { valueChecksEnabled } from '../shared/value-checks';

/** Weights (wx, wy, ww, wh) that scale the deltas: [10, 10, 5, 5] in Faster R-CNN's box head, [1, 1, 1, 1] in its RPN. */
export type BoxCoderWeights = [number, number, number, number];

/** torchvision's bbox_xform_clip: no box grows more than 1000/16 times its anchor. */
export const BBOX_XFORM_CLIP = Math.log(1000 / 16);

function checkWeights(op: string, weights: BoxCoderWeights): void {
  if (!Array.isArray(weights) || weights.length !== 4 || weights.some((w) => typeof w !== 'number' || !(w > 0) || !Number.isFinite(w))) {
    fail(op, 'weights', 'four positive numbers [wx, wy, ww, wh]', JSON.stringify(weights));
  }
}

function checkPositiveSize(op: string, arg: string, t: tf.Tensor2D): void {
  if (!valueChecksEnabled() || t.size === 0) return;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i += 4) {
    if (!(v[i + 2] > v[i] && v[i + 3] > v[i + 1])) fail(op, arg, 'boxes with positive width and height', `box ${i / 4} = [${Array.from(v.subarray(i, i + 4))}]`);
  }
}

function centres(boxes: tf.Tensor2D) {
  const [x1, y1, x2, y2] = boxColumns(boxes);
  const w = tf.sub(x2, x1);
  const h = tf.sub(y2, y1);
  return { w, h, cx: tf.add(x1, tf.mul(w, 0.5)), cy: tf.add(y1, tf.mul(h, 0.5)) };
}

/**
 * Regression targets of `boxes` relative to `anchors` (paired row by row), as
 * torchvision's BoxCoder.encode: dx = wx·(gx - ax)/aw, dy = wy·(gy - ay)/ah,
 * dw = ww·log(gw/aw), dh = wh·log(gh/ah), with widths x2 - x1 (no +1) and
 * centres x1 + w/2. `[N,4]`, `[N,4]` → `[N,4]`; differentiable.
 *
 * @example
 * encodeBoxes([[0, 0, 20, 10]], [[0, 0, 10, 10]]).print(); // [[0.5, 0, 0.6931, 0]]
 */
export function encodeBoxes(boxes: BoxesLike, anchors: BoxesLike, weights: BoxCoderWeights = [1, 1, 1, 1]): tf.Tensor2D {
  checkWeights('encodeBoxes', weights);
  return tf.tidy(() => {
    const g = toBoxes('encodeBoxes', 'boxes', boxes);
    const a = toBoxes('encodeBoxes', 'anchors', anchors);
    if (g.shape[0] !== a.shape[0]) fail('encodeBoxes', 'anchors', `one anchor per box (${g.shape[0]})`, `${a.shape[0]}`);
    checkPositiveSize('encodeBoxes', 'boxes', g);
    checkPositiveSize('encodeBoxes', 'anchors', a);
    const G = centres(g);
    const A = centres(a);
    const [wx, wy, ww, wh] = weights;
    return tf.concat(
      [
        tf.mul(tf.div(tf.sub(G.cx, A.cx), A.w), wx),
        tf.mul(tf.div(tf.sub(G.cy, A.cy), A.h), wy),
        tf.mul(tf.log(tf.div(G.w, A.w)), ww),
        tf.mul(tf.log(tf.div(G.h, A.h)), wh),
      ],
      1,
    ) as tf.Tensor2D;
  });
}

/**
 * Boxes from regression deltas and their anchors, as torchvision's
 * BoxCoder.decode: the inverse of `encodeBoxes`, with dw and dh (after
 * dividing by their weights) clamped at log(1000/16) so exp cannot overflow.
 * `[N,4]`, `[N,4]` → `[N,4]` x1,y1,x2,y2; differentiable.
 *
 * @example
 * decodeBoxes([[0.5, 0, Math.log(2), 0]], [[0, 0, 10, 10]]).print(); // [[0, 0, 20, 10]]
 */
export function decodeBoxes(deltas: tf.Tensor | number[][], anchors: BoxesLike, weights: BoxCoderWeights = [1, 1, 1, 1]): tf.Tensor2D {
  checkWeights('decodeBoxes', weights);
  return tf.tidy(() => {
    const d = toBoxes('decodeBoxes', 'deltas', deltas);
    const a = toBoxes('decodeBoxes', 'anchors', anchors);
    if (valueChecksEnabled() && a.size > 0) checkBoxValues('decodeBoxes', 'anchors', a.dataSync(), { ordered: true });
    if (d.shape[0] !== a.shape[0]) fail('decodeBoxes', 'anchors', `one anchor per row of deltas (${d.shape[0]})`, `${a.shape[0]}`);
    const A = centres(a);
    const [wx, wy, ww, wh] = weights;
    const [dx, dy, dw, dh] = boxColumns(d);
    const cx = tf.add(tf.mul(tf.div(dx, wx), A.w), A.cx);
    const cy = tf.add(tf.mul(tf.div(dy, wy), A.h), A.cy);
    const halfW = tf.mul(tf.mul(tf.exp(tf.minimum(tf.div(dw, ww), BBOX_XFORM_CLIP)), A.w), 0.5);
    const halfH = tf.mul(tf.mul(tf.exp(tf.minimum(tf.div(dh, wh), BBOX_XFORM_CLIP)), A.h), 0.5);
    return tf.concat([tf.sub(cx, halfW), tf.sub(cy, halfH), tf.add(cx, halfW), tf.add(cy, halfH)], 1) as tf.Tensor2D;
  });
}
