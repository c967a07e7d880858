import * as tf from '@tensorflow/tfjs';
import { type BoxesLike, boxColumns, toBoxes } from '../boxes/box-input';
import { checkReduction, reduce, type Reduction } from './reduction';
import { fail } from '../../util/validate';

export interface GiouLossOptions {
  /** Default 'none', as torchvision. */
  reduction?: Reduction;
  /** Added to the union and the enclosing area, as torchvision (default 1e-7). */
  eps?: number;
}

/**
 * 1 - GIoU of paired boxes (row i of `a` with row i of `b`), as
 * torchvision.ops.generalized_box_iou_loss. `[N,4]`, `[N,4]` → `[N]` (or a
 * scalar when reduced). Corner order is not enforced, as in torchvision, so
 * raw predictions can be passed; differentiable.
 *
 * @example
 * giouLoss([[0, 0, 1, 1]], [[2, 0, 3, 1]]).print(); // [1.3333] = 1 - (0 - 1/3)
 */
export function giouLoss(a: BoxesLike, b: BoxesLike, options: GiouLossOptions = {}): tf.Tensor {
  const op = 'giouLoss';
  const { reduction = 'none', eps = 1e-7 } = options;
  checkReduction(op, reduction);
  if (typeof eps !== 'number' || !(eps >= 0)) fail(op, 'eps', 'a non-negative number', String(eps));
  return tf.tidy(() => {
    const p = toBoxes(op, 'a', a);
    const g = toBoxes(op, 'b', b);
    if (p.shape[0] !== g.shape[0]) fail(op, 'b', `as many boxes as 'a' (${p.shape[0]})`, `${g.shape[0]}`);
    const [x1, y1, x2, y2] = boxColumns(p);
    const [gx1, gy1, gx2, gy2] = boxColumns(g);
    const inter = tf.mul(tf.relu(tf.sub(tf.minimum(x2, gx2), tf.maximum(x1, gx1))), tf.relu(tf.sub(tf.minimum(y2, gy2), tf.maximum(y1, gy1))));
    const union = tf.sub(tf.add(tf.mul(tf.sub(x2, x1), tf.sub(y2, y1)), tf.mul(tf.sub(gx2, gx1), tf.sub(gy2, gy1))), inter);
    const iou = tf.div(inter, tf.add(union, eps));
    const areaC = tf.mul(tf.sub(tf.maximum(x2, gx2), tf.minimum(x1, gx1)), tf.sub(tf.maximum(y2, gy2), tf.minimum(y1, gy1)));
    const giou = tf.sub(iou, tf.div(tf.sub(areaC, union), tf.add(areaC, eps)));
    return reduce(tf.sub(1, giou).reshape([-1]), reduction);
  });
}
