import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';
import { assertBoxes } from '../shared/tensor-args';
import { valueChecksEnabled } from '../shared/value-checks';

/** Boxes as a `[N,4]` tensor or a `number[][]` of rows. */
export type BoxesLike = tf.Tensor2D | tf.Tensor | number[][];

export interface BoxCheck {
  /** Require x2 >= x1 and y2 >= y1 (zero-area boxes pass). */
  ordered?: boolean;
}

/**
 * Converts boxes to a float32 `[N,4]` tensor (an empty array gives `[0,4]`) and
 * checks shape, finiteness and, when asked, corner order. Call inside `tf.tidy`:
 * a tensor made from an array belongs to the caller's scope.
 */
export function toBoxes(op: string, arg: string, x: BoxesLike, check: BoxCheck = {}): tf.Tensor2D {
  let t: tf.Tensor;
  if (x instanceof tf.Tensor) {
    t = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  } else if (Array.isArray(x)) {
    if (x.length === 0) t = tf.zeros([0, 4]);
    else {
      for (let i = 0; i < x.length; i++) {
        if (!Array.isArray(x[i]) || x[i].length !== 4) fail(op, arg, 'a [N,4] array of boxes', `row ${i} = ${JSON.stringify(x[i])}`);
      }
      t = tf.tensor2d(x as number[][], [x.length, 4], 'float32');
    }
  } else {
    return fail(op, arg, 'a [N,4] tensor or number[][] of boxes', typeof x);
  }
  assertBoxes(op, arg, t);
  if (valueChecksEnabled() && t.size > 0) checkBoxValues(op, arg, t.dataSync(), check);
  return t;
}

/** Checks flat x1,y1,x2,y2 rows for NaN/Infinity and, if asked, inverted corners. */
export function checkBoxValues(op: string, arg: string, v: ArrayLike<number>, check: BoxCheck = {}): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) fail(op, arg, 'finite box coordinates', `${v[i]} in box ${Math.floor(i / 4)}`);
  }
  if (!check.ordered) return;
  for (let i = 0; i < v.length; i += 4) {
    if (v[i + 2] < v[i] || v[i + 3] < v[i + 1]) {
      fail(op, arg, 'boxes with x2 >= x1 and y2 >= y1 (x1,y1,x2,y2 order)', `box ${i / 4} = [${Array.from(Array.prototype.slice.call(v, i, i + 4))}]`);
    }
  }
}

/** Splits `[N,4]` boxes into four `[N,1]` columns x1, y1, x2, y2. */
export function boxColumns(boxes: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  return tf.split(boxes, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
}
