import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { boxArea, boxConvert, boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from '../../src/core/index';
import { expectClose, finiteDifference, noLeak, take } from './helpers';

// Reference semantics: torchvision.ops box_area / box_convert / box_iou /
// generalized_box_iou / distance_box_iou / complete_box_iou (continuous coordinates).

describe('boxArea (torchvision.ops.box_area)', () => {
  it('multiplies width by height without +1', () =>
    noLeak(() => {
      // 2*3 = 6; a zero-width box has area 0
      expectClose(take(boxArea([[0, 0, 2, 3], [1, 1, 1, 5]])), [6, 0]);
      expect(take(boxArea([])).length).toBe(0);
    }));
  it('rejects inverted boxes, naming the argument', () =>
    noLeak(() => {
      expect(() => boxArea([[2, 0, 1, 1]])).toThrow(/boxArea: 'boxes' must be boxes with x2 >= x1/);
    }));
});

describe('boxConvert (torchvision.ops.box_convert)', () => {
  it('converts between xyxy, xywh and cxcywh', () =>
    noLeak(() => {
      // centre (10,20), size 4x6 → corners (10-2, 20-3, 10+2, 20+3)
      expectClose(take(boxConvert([[10, 20, 4, 6]], 'cxcywh', 'xyxy')), [[8, 17, 12, 23]]);
      expectClose(take(boxConvert([[10, 20, 4, 6]], 'cxcywh', 'xywh')), [[8, 17, 4, 6]]);
      expectClose(take(boxConvert([[8, 17, 12, 23]], 'xyxy', 'cxcywh')), [[10, 20, 4, 6]]);
      expectClose(take(boxConvert([[8, 17, 4, 6]], 'xywh', 'xyxy')), [[8, 17, 12, 23]]);
      const empty = tf.zeros([0, 4]) as tf.Tensor2D;
      expect(take(boxConvert(empty, 'xyxy', 'xywh')).length).toBe(0);
      empty.dispose();
    }));
  it('rejects an unknown format', () => {
    expect(() => boxConvert([[0, 0, 1, 1]], 'xyxy', 'yolo' as never)).toThrow(/boxConvert: 'to' must be one of 'xyxy', 'xywh', 'cxcywh', got 'yolo'/);
  });
});

describe('boxIou (torchvision.ops.box_iou)', () => {
  it('gives hand-worked values for overlap, identity, touching and disjoint boxes', () =>
    noLeak(() => {
      const a = [[0, 0, 2, 2]];
      const b = [
        [1, 1, 3, 3], // inter 1, union 4 + 4 - 1 = 7
        [0, 0, 2, 2], // identical
        [2, 0, 4, 2], // touching edge: inter 0
        [5, 5, 6, 6], // disjoint
      ];
      expectClose(take(boxIou(a, b)), [[1 / 7, 1, 0, 0]]);
    }));
  it('returns [N,M] and handles empty inputs', () =>
    noLeak(() => {
      const out = boxIou([[0, 0, 1, 1], [0, 0, 2, 2]], [[0, 0, 1, 1], [0, 0, 1, 2], [0, 0, 4, 4]]);
      expect(out.shape).toEqual([2, 3]);
      // row 1: [1/4, 2/4, 4/16]
      expectClose(take(out), [[1, 0.5, 1 / 16], [0.25, 0.5, 0.25]]);
    }));
  it('empty inputs give [0,M] and [N,0]', () =>
    noLeak(() => {
      const e1 = boxIou([], [[0, 0, 1, 1]]);
      const one = tf.tensor2d([[0, 0, 1, 1]]);
      const none = tf.zeros([0, 4]);
      const e2 = boxIou(one, none);
      expect(e1.shape).toEqual([0, 1]);
      expect(e2.shape).toEqual([1, 0]);
      tf.dispose([e1, e2, one, none]);
    }));
  it('returns 0, not NaN, for two zero-area boxes (torchvision gives 0/0 = NaN)', () =>
    noLeak(() => {
      expectClose(take(boxIou([[1, 1, 1, 1]], [[1, 1, 1, 1], [0, 0, 2, 0]])), [[0, 0]]);
      const x = tf.tensor1d([1, 1, 1, 1]);
      const g = tf.grad((x: tf.Tensor) => boxIou(x.reshape([1, 4]), [[1, 1, 1, 1]]).sum())(x);
      expect(take<number[]>(g).every(Number.isFinite)).toBe(true);
      x.dispose();
    }));
  it('is differentiable: d IoU / d x2 of [0,0,x2,2] vs [1,1,3,3] at x2 = 2 is 6/49', () =>
    noLeak(() => {
      // inter = (x2 - 1)·1, union = 2·x2 + 4 - inter; d/dx2 (I/U) = (1·7 - 1·(2 - 1)) / 7² = 6/49
      const iouOf = (x: tf.Tensor) => boxIou(x.reshape([1, 4]), [[1, 1, 3, 3]]).sum();
      const x = tf.tensor1d([0, 0, 2, 2]);
      expectClose(take<number[]>(tf.grad(iouOf)(x))[2], 6 / 49);
      // and against a finite difference at a point away from every min/max kink
      const p0 = [0.2, 0.3, 2, 2.5];
      const fd = finiteDifference((p) => take<number[][]>(boxIou([p], [[1, 1, 3, 3]]))[0][0], p0);
      const x2 = tf.tensor1d(p0);
      expectClose(take<number[]>(tf.grad(iouOf)(x2)), fd, 2e-3);
      tf.dispose([x, x2]);
    }));
  it('names the argument on bad input', () =>
    noLeak(() => {
      expect(() => boxIou([[0, 0, 1]], [[0, 0, 1, 1]])).toThrow(/boxIou: 'a' must be a \[N,4\] array of boxes/);
      const bad = tf.zeros([2, 3]) as tf.Tensor2D;
      expect(() => boxIou(bad, [[0, 0, 1, 1]])).toThrow(/boxIou: 'a' must be a \[N,4\] tensor of boxes, got shape \[2,3\]/);
      bad.dispose();
      expect(() => boxIou([[0, 0, 1, 1]], [[0, NaN, 1, 1]])).toThrow(/boxIou: 'b' must be finite box coordinates, got NaN in box 0/);
      expect(() => boxIou([[0, 0, 1, 1]], [[3, 0, 1, 1]])).toThrow(/boxIou: 'b' must be boxes with x2 >= x1/);
    }));
});

describe('generalizedBoxIou (torchvision.ops.generalized_box_iou)', () => {
  it('matches hand-worked values', () =>
    noLeak(() => {
      const out = take(generalizedBoxIou([[0, 0, 1, 1], [0, 0, 2, 2]], [[2, 0, 3, 1], [1, 1, 3, 3], [0, 0, 2, 2]]));
      // [0,0,1,1] vs [2,0,3,1]: IoU 0, C = 3·1 = 3, union 2 → 0 - 1/3
      // [0,0,1,1] vs [1,1,3,3]: touching corner, IoU 0, C = 9, union 5 → -4/9
      // [0,0,1,1] vs [0,0,2,2]: IoU 1/4, C = 4 = union → 1/4
      // [0,0,2,2] vs [2,0,3,1]: IoU 0, C = 3·2 = 6, union 5 → -1/6
      // [0,0,2,2] vs [1,1,3,3]: IoU 1/7, C = 9, union 7 → 1/7 - 2/9
      expectClose(out, [[-1 / 3, -4 / 9, 1 / 4], [-1 / 6, 1 / 7 - 2 / 9, 1]]);
    }));
  it('gives 0 (not NaN) when the enclosing box has zero area', () =>
    noLeak(() => {
      // two zero-width boxes on one vertical line: union 0, C 0
      expectClose(take(generalizedBoxIou([[1, 0, 1, 1]], [[1, 2, 1, 3]])), [[0]]);
    }));
});

describe('distanceBoxIou (torchvision.ops.distance_box_iou)', () => {
  it('subtracts the normalised centre distance', () =>
    noLeak(() => {
      // centres (0.5,0.5) and (1.5,0.5): d² = 1; enclosing [0,0,2,1]: c² = 4 + 1 = 5 → 0 - 1/5
      expectClose(take(distanceBoxIou([[0, 0, 1, 1]], [[1, 0, 2, 1]])), [[-0.2]]);
      expectClose(take(distanceBoxIou([[1, 1, 1, 1]], [[1, 1, 1, 1]])), [[0]]);
    }));
});

describe('completeBoxIou (torchvision.ops.complete_box_iou)', () => {
  it('adds the aspect-ratio term', () =>
    noLeak(() => {
      // IoU([0,0,2,2],[0,0,4,2]) = 4/8; d² = (1-2)² = 1; c² = 16 + 4 = 20 → DIoU = 0.5 - 0.05
      // v = 4/π² (atan(2/2) - atan(4/2))², alpha = v / (1 - 0.5 + v)
      const v = (4 / Math.PI ** 2) * (Math.atan(1) - Math.atan(2)) ** 2;
      const alpha = v / (0.5 + v);
      expectClose(take(completeBoxIou([[0, 0, 2, 2]], [[0, 0, 4, 2], [0, 0, 2, 2]])), [[0.45 - alpha * v, 1]]);
    }));
  it('holds alpha constant in the gradient, as torchvision (no_grad)', () =>
    noLeak(() => {
      const b = [[0, 0, 4, 2]];
      const x0 = [0.5, 0.2, 2, 1.8]; // inside b, no ties in the enclosing-box min/max
      const ciou = (p: number[]) => take<number[][]>(completeBoxIou([p], b))[0][0];
      const x = tf.tensor1d(x0);
      const g = take<number[]>(tf.grad((x: tf.Tensor) => completeBoxIou(x.reshape([1, 4]), b).sum())(x));
      x.dispose();
      // With alpha frozen at x0, the gradient is that of DIoU - alpha0·v(x).
      const diou = (p: number[]) => take<number[][]>(distanceBoxIou([p], b))[0][0];
      const vOf = (p: number[]) => (4 / Math.PI ** 2) * (Math.atan2(p[2] - p[0], p[3] - p[1]) - Math.atan(2)) ** 2;
      const v0 = vOf(x0);
      const iou0 = (1.5 * 1.6) / 8; // a lies inside b
      const alpha0 = v0 / (1 - iou0 + v0);
      const fd = finiteDifference((p) => diou(p) - alpha0 * vOf(p), x0);
      expectClose(g, fd, 2e-3);
      expect(Number.isFinite(ciou(x0))).toBe(true);
    }));
});

describe('the IoU family on empty inputs (torchvision: [0,M], [N,0] and [0,0] results)', () => {
  it.each([
    ['generalizedBoxIou', generalizedBoxIou],
    ['distanceBoxIou', distanceBoxIou],
    ['completeBoxIou', completeBoxIou],
  ] as const)('%s keeps the empty side', (_name, fn) =>
    noLeak(() => {
      const none = tf.zeros([0, 4]) as tf.Tensor2D;
      const cases: Array<[number[][] | tf.Tensor2D, number[][] | tf.Tensor2D, number[]]> = [
        [[], [[0, 0, 1, 1], [1, 1, 2, 3]], [0, 2]],
        [[[0, 0, 1, 1]], none, [1, 0]],
        [none, [], [0, 0]],
      ];
      for (const [a, b, shape] of cases) {
        const out = fn(a, b);
        expect(out.shape).toEqual(shape);
        out.dispose();
      }
      none.dispose();
    }));
});

describe('completeBoxIou with zero-area boxes (torchvision.ops.complete_box_iou)', () => {
  it('a zero-width or zero-height box gives the finite value torchvision computes', () =>
    noLeak(() => {
      // torchvision: v = 4/π²·(atan(w_gt/h_gt) - atan(w_pred/h_pred))², alpha = v / (1 - IoU + v + eps).
      // [1,1,1,3] (w 0, h 2) vs [0,0,2,2]: IoU 0 (no width); centres (1,2), (1,1): d² = 1; C = [0,0,2,3], c² = 4 + 9 = 13.
      //   atan(0/2) = 0, atan(2/2) = π/4: v = 4/π²·π²/16 = 1/4, alpha = (1/4)/(5/4) = 1/5 -> -1/13 - 1/20.
      // [0,0,2,0] (w 2, h 0) vs [0,0,2,2]: IoU 0; centres (1,0), (1,1): d² = 1; C = [0,0,2,2], c² = 8.
      //   atan(2/0) = atan(inf) = π/2: v = 4/π²·(π/4)² = 1/4, alpha = 1/5 -> -1/8 - 1/20.
      const out = take(completeBoxIou([[1, 1, 1, 3], [0, 0, 2, 0]], [[0, 0, 2, 2]]));
      expectClose(out, [[-1 / 13 - 1 / 20], [-1 / 8 - 1 / 20]]);
      // The gradient with respect to the zero-area boxes is finite too.
      const x = tf.tensor2d([[1, 1, 1, 3], [0, 0, 2, 0]]);
      const g = take<number[][]>(tf.grad((t: tf.Tensor) => completeBoxIou(t as tf.Tensor2D, [[0, 0, 2, 2]]).sum())(x));
      x.dispose();
      expect(g.flat().every(Number.isFinite)).toBe(true);
    }));
  it('a point box [0,0,0,0] is finite where torchvision divides 0 by 0 (atan2(0, 0) = 0)', () =>
    noLeak(() => {
      // IoU 0; centres (0,0), (1,1): d² = 2; C = [0,0,2,2], c² = 8 -> DIoU -1/4.
      // atan2(0,0) = 0 vs atan(1) = π/4: v = 1/4, alpha = 1/5 -> -1/4 - 1/20. (torchvision: atan(0/0) = NaN.)
      expectClose(take(completeBoxIou([[0, 0, 0, 0]], [[0, 0, 2, 2]])), [[-0.25 - 0.05]]);
      // Its gradient is finite too, where atan2's own is 0/0 at the origin: the aspect term contributes 0
      // and what is left is DIoU's centre-distance term. (Exact values depend on how the ties x1 = 0 = b's x1
      // in the enclosing box's min are split, so only finiteness is pinned.)
      const x = tf.tensor2d([[0, 0, 0, 0]]);
      const g = take<number[][]>(tf.grad((t: tf.Tensor) => completeBoxIou(t as tf.Tensor2D, [[0, 0, 2, 2]]).sum())(x));
      x.dispose();
      expect(g.flat().every(Number.isFinite)).toBe(true);
    }));
});
