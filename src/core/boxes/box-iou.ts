import * as tf from '@tensorflow/tfjs';
import { type BoxesLike, boxColumns, toBoxes } from './box-input';

/**
 * The IoU family on all pairs of two box sets, following torchvision.ops
 * (box_iou, generalized_box_iou, distance_box_iou, complete_box_iou).
 * Boxes are `x1,y1,x2,y2` in continuous coordinates (width = x2 - x1).
 *
 * One deliberate difference: where torchvision divides 0 by 0 (two zero-area
 * boxes: union 0; two collinear degenerate boxes: enclosing area 0) and returns
 * NaN, these return 0 for that term, and the gradient there is 0 rather than NaN.
 */

interface Pairwise {
  iou: tf.Tensor2D;
  union: tf.Tensor2D;
  /** Enclosing box corners, each `[N,M]`. */
  cx1: tf.Tensor2D;
  cy1: tf.Tensor2D;
  cx2: tf.Tensor2D;
  cy2: tf.Tensor2D;
  a: tf.Tensor2D[];
  b: tf.Tensor2D[];
}

/**
 * `num / den` where `den > 0`, else 0, with a gradient that is never NaN. Built
 * from `step` (which has a zero gradient) because `where` on a comparison
 * breaks `tf.grad` (no gradient for Greater) and 0/0 in an unused branch still
 * poisons the gradient with NaN.
 */
export function safeDivide(num: tf.Tensor, den: tf.Tensor): tf.Tensor {
  const ok = tf.step(den); // 1 where den > 0, else 0
  const safeDen = tf.add(den, tf.sub(1, ok)); // den, or 1 where den = 0
  return tf.div(tf.mul(num, ok), safeDen);
}

/**
 * `tf.maximum` / `tf.minimum` of an `[N,1]` and a `[1,M]` tensor with a gradient
 * summed back over the broadcast axis: tfjs's own Maximum/Minimum gradients do
 * not reduce broadcast axes (an `[N,1]` input gets an `[N,M]` gradient and
 * `tf.grad` throws once N, M > 1). Ties send the gradient to the first
 * argument, as tfjs's.
 */
function pairExtreme(pick: 'max' | 'min') {
  return tf.customGrad(((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, y]);
    return {
      value: pick === 'max' ? tf.maximum(x, y) : tf.minimum(x, y),
      gradFunc: (dy: tf.Tensor, [sx, sy]: tf.Tensor[]) => {
        const toX = tf.cast(pick === 'max' ? tf.greaterEqual(sx, sy) : tf.lessEqual(sx, sy), 'float32');
        return [tf.sum(tf.mul(dy, toX), 1, true), tf.sum(tf.mul(dy, tf.sub(1, toX)), 0, true)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D;
}
const pairMax = pairExtreme('max');
const pairMin = pairExtreme('min');

function pairwise(op: string, boxesA: BoxesLike, boxesB: BoxesLike): Pairwise {
  const a = boxColumns(toBoxes(op, 'a', boxesA, { ordered: true })); // each [N,1]
  const b = boxColumns(toBoxes(op, 'b', boxesB, { ordered: true })).map((c) => c.reshape([1, -1]) as tf.Tensor2D); // each [1,M]
  const [ax1, ay1, ax2, ay2] = a;
  const [bx1, by1, bx2, by2] = b;
  const areaA = tf.mul(tf.sub(ax2, ax1), tf.sub(ay2, ay1));
  const areaB = tf.mul(tf.sub(bx2, bx1), tf.sub(by2, by1));
  const iw = tf.relu(tf.sub(pairMin(ax2, bx2), pairMax(ax1, bx1)));
  const ih = tf.relu(tf.sub(pairMin(ay2, by2), pairMax(ay1, by1)));
  const inter = tf.mul(iw, ih) as tf.Tensor2D;
  const union = tf.sub(tf.add(areaA, areaB), inter) as tf.Tensor2D;
  return {
    iou: safeDivide(inter, union) as tf.Tensor2D,
    union,
    cx1: pairMin(ax1, bx1),
    cy1: pairMin(ay1, by1),
    cx2: pairMax(ax2, bx2),
    cy2: pairMax(ay2, by2),
    a,
    b,
  };
}

/**
 * Intersection over union of every box in `a` with every box in `b`.
 * `[N,4]`, `[M,4]` → `[N,M]`; differentiable; torchvision.ops.box_iou.
 *
 * @example
 * boxIou([[0, 0, 2, 2]], [[1, 1, 3, 3]]).print(); // [[0.142857]] = 1 / (4 + 4 - 1)
 */
export function boxIou(a: BoxesLike, b: BoxesLike): tf.Tensor2D {
  return tf.tidy(() => pairwise('boxIou', a, b).iou);
}

/**
 * Generalized IoU (Rezatofighi et al. 2019): IoU - (C - union) / C, with C the
 * area of the smallest box enclosing both. In [-1, 1]; torchvision.ops.generalized_box_iou.
 *
 * @example
 * generalizedBoxIou([[0, 0, 1, 1]], [[2, 0, 3, 1]]).print(); // [[-0.333333]] = 0 - (3 - 2) / 3
 */
export function generalizedBoxIou(a: BoxesLike, b: BoxesLike): tf.Tensor2D {
  return tf.tidy(() => {
    const p = pairwise('generalizedBoxIou', a, b);
    const areaC = tf.mul(tf.sub(p.cx2, p.cx1), tf.sub(p.cy2, p.cy1));
    return tf.sub(p.iou, safeDivide(tf.sub(areaC, p.union), areaC)) as tf.Tensor2D;
  });
}

function diouParts(op: string, a: BoxesLike, b: BoxesLike, eps: number) {
  const p = pairwise(op, a, b);
  const [ax1, ay1, ax2, ay2] = p.a;
  const [bx1, by1, bx2, by2] = p.b;
  // Squared diagonal of the enclosing box (+eps as torchvision, so identical points give 0/eps = 0).
  const diag = tf.add(tf.add(tf.square(tf.sub(p.cx2, p.cx1)), tf.square(tf.sub(p.cy2, p.cy1))), eps);
  const dx = tf.mul(tf.sub(tf.add(ax1, ax2), tf.add(bx1, bx2)), 0.5);
  const dy = tf.mul(tf.sub(tf.add(ay1, ay2), tf.add(by1, by2)), 0.5);
  const centre = tf.add(tf.square(dx), tf.square(dy));
  return { p, diou: tf.sub(p.iou, safeDivide(centre, diag)) as tf.Tensor2D };
}

/**
 * Distance IoU (Zheng et al. 2020): IoU - d² / c², d the distance between the
 * centres, c the diagonal of the enclosing box; torchvision.ops.distance_box_iou
 * (eps = 1e-7 added to c² as there).
 *
 * @example
 * distanceBoxIou([[0, 0, 1, 1]], [[1, 0, 2, 1]]).print(); // [[-0.2]] = 0 - 1² / (2² + 1²)
 */
export function distanceBoxIou(a: BoxesLike, b: BoxesLike, eps = 1e-7): tf.Tensor2D {
  return tf.tidy(() => diouParts('distanceBoxIou', a, b, eps).diou);
}

/** Identity forward, zero gradient: torch's `with torch.no_grad()` for one factor. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * atan(w/h) as atan2(w, h), finite for h = 0 (π/2, as torchvision's atan(∞)).
 * At w = h = 0 atan2's gradient is 0/0; the angle is taken as 0 there with a
 * zero gradient (step has none) so one point box cannot turn a batch's gradient to NaN.
 */
function aspectAngle(w: tf.Tensor, h: tf.Tensor): tf.Tensor {
  const ok = tf.step(tf.add(tf.square(w), tf.square(h)));
  return tf.mul(ok, tf.atan2(w, tf.add(h, tf.sub(1, ok))));
}

/**
 * Complete IoU (Zheng et al. 2020): DIoU - alpha·v, v = 4/π² (atan(w_b/h_b) - atan(w_a/h_a))²
 * measuring aspect-ratio mismatch, alpha = v / (1 - IoU + v + eps) held constant in
 * the gradient; torchvision.ops.complete_box_iou. atan(w/h) is computed as
 * atan2(w, h), so a 0 x 0 box gives 0 (with a zero gradient) where torchvision gives NaN.
 *
 * @example
 * completeBoxIou([[0, 0, 2, 2]], [[0, 0, 2, 2]]).print(); // [[1]]
 */
export function completeBoxIou(a: BoxesLike, b: BoxesLike, eps = 1e-7): tf.Tensor2D {
  return tf.tidy(() => {
    const { p, diou } = diouParts('completeBoxIou', a, b, eps);
    const [ax1, ay1, ax2, ay2] = p.a;
    const [bx1, by1, bx2, by2] = p.b;
    const angA = aspectAngle(tf.sub(ax2, ax1), tf.sub(ay2, ay1));
    const angB = aspectAngle(tf.sub(bx2, bx1), tf.sub(by2, by1));
    const v = tf.mul(tf.square(tf.sub(angA, angB)), 4 / (Math.PI * Math.PI));
    const alpha = stopGradient(tf.div(v, tf.add(tf.add(tf.sub(1, p.iou), v), eps)));
    return tf.sub(diou, tf.mul(alpha, v)) as tf.Tensor2D;
  });
}
