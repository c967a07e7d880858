import * as tf from '@tensorflow/tfjs';
import { type BoxesLike, boxColumns, toBoxes } from './box-input';

/**
 * Area of each `x1,y1,x2,y2` box, `(x2 - x1) * (y2 - y1)`, in continuous
 * coordinates (no +1), as torchvision.ops.box_area. Zero-area boxes give 0;
 * inverted boxes (x2 < x1) throw rather than give a negative area.
 *
 * @example
 * boxArea([[0, 0, 2, 3]]).print(); // [6]
 */
export function boxArea(boxes: BoxesLike): tf.Tensor1D {
  return tf.tidy(() => {
    const b = toBoxes('boxArea', 'boxes', boxes, { ordered: true });
    const [x1, y1, x2, y2] = boxColumns(b);
    return tf.mul(tf.sub(x2, x1), tf.sub(y2, y1)).reshape([-1]) as tf.Tensor1D;
  });
}
