import * as tf from '@tensorflow/tfjs';
import { type BoxesLike, boxColumns, toBoxes } from './box-input';
import { assertOneOf } from '../../util/validate';

export const BOX_FORMATS = ['xyxy', 'xywh', 'cxcywh'] as const;
/** `xyxy`: corners; `xywh`: top-left corner and size; `cxcywh`: centre and size. */
export type BoxFormat = (typeof BOX_FORMATS)[number];

/**
 * Converts `[N,4]` boxes between formats, as torchvision.ops.box_convert.
 * Differentiable; an empty `[0,4]` input gives an empty output.
 *
 * @example
 * boxConvert([[10, 20, 4, 6]], 'cxcywh', 'xyxy').print(); // [[8, 17, 12, 23]]
 */
export function boxConvert(boxes: BoxesLike, from: BoxFormat, to: BoxFormat): tf.Tensor2D {
  assertOneOf('boxConvert', 'from', from, BOX_FORMATS);
  assertOneOf('boxConvert', 'to', to, BOX_FORMATS);
  return tf.tidy(() => {
    const b = toBoxes('boxConvert', 'boxes', boxes);
    if (from === to) return b.clone();
    const [x1, y1, x2, y2] = toXyxy(b, from);
    if (to === 'xyxy') return tf.concat([x1, y1, x2, y2], 1) as tf.Tensor2D;
    const w = tf.sub(x2, x1);
    const h = tf.sub(y2, y1);
    if (to === 'xywh') return tf.concat([x1, y1, w, h], 1) as tf.Tensor2D;
    return tf.concat([tf.add(x1, tf.mul(w, 0.5)), tf.add(y1, tf.mul(h, 0.5)), w, h], 1) as tf.Tensor2D;
  });
}

function toXyxy(b: tf.Tensor2D, from: BoxFormat): tf.Tensor2D[] {
  const [c0, c1, c2, c3] = boxColumns(b);
  if (from === 'xyxy') return [c0, c1, c2, c3];
  if (from === 'xywh') return [c0, c1, tf.add(c0, c2), tf.add(c1, c3)];
  const hw = tf.mul(c2, 0.5);
  const hh = tf.mul(c3, 0.5);
  return [tf.sub(c0, hw), tf.sub(c1, hh), tf.add(c0, hw), tf.add(c1, hh)];
}
