import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { crossEntropy, generalizedBoxIou, giouLoss, sigmoidFocalLoss, smoothL1Loss } from '../../src/core/index';
import { expectClose, finiteDifference, noLeak, take } from './helpers';
import { randomBoxes } from './random-boxes';

const softplus = (x: number) => Math.log1p(Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Gradient of a scalar loss of a flat vector, read out and disposed. */
function gradOf(f: (x: tf.Tensor) => tf.Tensor, x0: number[]): number[] {
  const x = tf.tensor1d(x0);
  const g = take<number[]>(tf.grad((t: tf.Tensor) => f(t) as tf.Scalar)(x));
  x.dispose();
  return g;
}

describe('sigmoidFocalLoss (torchvision.ops.sigmoid_focal_loss)', () => {
  it('matches hand-worked values', () =>
    noLeak(() => {
      // x = 0, t = 1: p = 0.5, CE = log 2, (1 - p_t)² = 0.25, alpha_t = 0.25
      // x = 2, t = 0: CE = softplus(2), p_t = 1 - σ(2), (1 - p_t)² = σ(2)², alpha_t = 0.75
      const e0 = 0.25 * 0.25 * Math.log(2);
      const e1 = softplus(2) * sigmoid(2) ** 2 * 0.75;
      expectClose(take<number[]>(sigmoidFocalLoss([0, 2], [1, 0])), [e0, e1]);
      expectClose(take<number>(sigmoidFocalLoss([0, 2], [1, 0], { reduction: 'sum' })), e0 + e1);
      expectClose(take<number>(sigmoidFocalLoss([0, 2], [1, 0], { reduction: 'mean' })), (e0 + e1) / 2);
      // alpha < 0 turns weighting off; gamma 0 then leaves plain BCE
      expectClose(take<number[]>(sigmoidFocalLoss([2], [0], { alpha: -1 })), [softplus(2) * sigmoid(2) ** 2]);
      expectClose(take<number[]>(sigmoidFocalLoss([2], [0], { alpha: -1, gamma: 0 })), [softplus(2)]);
    }));
  it('stays finite for large logits', () =>
    noLeak(() => {
      // x = 100, t = 0: CE = softplus(100) = 100, (1 - p_t)^2 = 1, alpha_t = 0.75 → 75
      expectClose(take<number[]>(sigmoidFocalLoss([100, -100, 100], [0, 1, 1])), [75, 25, 0], 1e-4);
    }));
  it('has gradient σ(x) - t for gamma 0 without alpha, also at x = 0', () =>
    noLeak(() => {
      expectClose(gradOf((x) => sigmoidFocalLoss(x, [1, 0, 1], { alpha: -1, gamma: 0, reduction: 'sum' }), [0, 0, 1.5]), [-0.5, 0.5, sigmoid(1.5) - 1]);
      const f = (p: number[]) => take<number>(sigmoidFocalLoss(p, [1, 0, 0.3], { reduction: 'sum' }));
      const x0 = [0.3, -1.2, 2];
      expectClose(gradOf((x) => sigmoidFocalLoss(x, [1, 0, 0.3], { reduction: 'sum' }), x0), finiteDifference(f, x0), 2e-3);
    }));
  it('names bad input', () =>
    noLeak(() => {
      expect(() => sigmoidFocalLoss([0, 1], [1])).toThrow(/sigmoidFocalLoss: 'targets' must be the same shape as 'logits' \[2\], got \[1\]/);
      expect(() => sigmoidFocalLoss([0], [1], { gamma: -1 })).toThrow(/sigmoidFocalLoss: 'gamma' must be a non-negative number/);
      expect(() => sigmoidFocalLoss([0], [1], { reduction: 'avg' as never })).toThrow(/sigmoidFocalLoss: 'reduction' must be one of 'none', 'mean', 'sum'/);
      expect(() => sigmoidFocalLoss([NaN], [1])).toThrow(/sigmoidFocalLoss: 'logits' must be finite numbers/);
    }));
});

describe('smoothL1Loss (torch.nn.functional.smooth_l1_loss)', () => {
  it('is quadratic below beta and linear above', () =>
    noLeak(() => {
      // beta 1: n = 0.5 → 0.5·0.25 = 0.125; n = 3 → 3 - 0.5 = 2.5; mean 1.3125
      expectClose(take<number[]>(smoothL1Loss([0.5, 3], [0, 0], { reduction: 'none' })), [0.125, 2.5]);
      expectClose(take<number>(smoothL1Loss([0.5, 3], [0, 0])), 1.3125);
      // beta 2: 0.5·0.25/2 = 0.0625; 3 - 1 = 2
      expectClose(take<number[]>(smoothL1Loss([0.5, 3], [0, 0], { beta: 2, reduction: 'none' })), [0.0625, 2]);
      // beta 0 is L1
      expectClose(take<number>(smoothL1Loss([0.5, -3], [0, 0], { beta: 0, reduction: 'sum' })), 3.5);
    }));
  it('has gradient n/beta inside and sign outside', () =>
    noLeak(() => {
      expectClose(gradOf((x) => smoothL1Loss(x, [0, 0, 1], { reduction: 'sum' }), [0.5, -3, 1]), [0.5, -1, 0]);
    }));
  it('names bad input', () =>
    noLeak(() => {
    expect(() => smoothL1Loss([1], [1], { beta: -1 })).toThrow(/smoothL1Loss: 'beta' must be a non-negative number/);
    expect(() => smoothL1Loss([1, 2], [[1, 2]])).toThrow(/smoothL1Loss: 'target' must be the same shape as 'pred'/);
    }));
});

describe('giouLoss (torchvision.ops.generalized_box_iou_loss)', () => {
  it('is 1 - GIoU of paired boxes', () =>
    noLeak(() => {
      // GIoU([0,0,1,1],[2,0,3,1]) = 0 - (3 - 2)/3 → loss 4/3; identical boxes → 0
      expectClose(take<number[]>(giouLoss([[0, 0, 1, 1], [0, 0, 2, 2]], [[2, 0, 3, 1], [0, 0, 2, 2]])), [4 / 3, 0]);
      const { boxes } = randomBoxes(20, 9);
      const a = boxes.slice(0, 10);
      const b = boxes.slice(10);
      const full = take(generalizedBoxIou(a, b));
      expectClose(take<number[]>(giouLoss(a, b)), full.map((row, i) => 1 - row[i]), 1e-5);
      expectClose(take<number>(giouLoss(a, b, { reduction: 'mean' })), full.reduce((s, row, i) => s + 1 - row[i], 0) / 10, 1e-5);
    }));
  it('is differentiable (finite difference)', () =>
    noLeak(() => {
      const target = [[1, 1, 4, 5]];
      const x0 = [0.5, 0.2, 3, 3.5];
      const f = (p: number[]) => take<number[]>(giouLoss([p], target))[0];
      expectClose(gradOf((x) => giouLoss(x.reshape([1, 4]), target, { reduction: 'sum' }), x0), finiteDifference(f, x0), 2e-3);
    }));
  it('names bad input', () =>
    noLeak(() => {
    expect(() => giouLoss([[0, 0, 1, 1]], [])).toThrow(/giouLoss: 'b' must be as many boxes as 'a' \(1\), got 0/);
    }));
});

describe('crossEntropy (torch.nn.functional.cross_entropy)', () => {
  it('is -log softmax at the label', () =>
    noLeak(() => {
      // [0,0], label 1: -log(1/2) = log 2; [1,2,3], label 2: log(e + e² + e³) - 3
      const e1 = Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3;
      expectClose(take<number[]>(crossEntropy([[0, 0, -1e9], [1, 2, 3]], [1, 2], { reduction: 'none' })), [Math.log(2), e1], 1e-5);
      expectClose(take<number>(crossEntropy([[0, 0, -1e9], [1, 2, 3]], [1, 2])), (Math.log(2) + e1) / 2, 1e-5);
    }));
  it('skips ignoreIndex in the mean', () =>
    noLeak(() => {
      const labels = tf.tensor1d([1, -100], 'int32');
      expectClose(take<number>(crossEntropy([[0, 0], [5, 1]], labels)), Math.log(2));
      expectClose(take<number>(crossEntropy([[0, 0]], [-100])), 0);
      labels.dispose();
    }));
  it('has gradient softmax - onehot', () =>
    noLeak(() => {
      expectClose(gradOf((x) => crossEntropy(x.reshape([1, 2]), [1], { reduction: 'sum' }), [0, 0]), [0.5, -0.5]);
    }));
  it('names bad input', () =>
    noLeak(() => {
    expect(() => crossEntropy([[0, 0]], [2])).toThrow(/crossEntropy: 'labels' must be integers in \[0, 2\) or ignoreIndex \(-100\), got 2 at index 0/);
    expect(() => crossEntropy([[0, 0]], [0, 1])).toThrow(/crossEntropy: 'labels' must be one label per row of logits \(1\)/);
    expect(() => crossEntropy([0, 0] as never, [0])).toThrow(/crossEntropy: 'logits' must be a \[N,C\] tensor/);
    }));
});

describe('the losses on empty inputs', () => {
  // torchvision/torch give an empty [0] for 'none' and 0 for 'sum'; for 'mean' torch's mean of nothing is
  // NaN (torchvision's generalized_box_iou_loss returns 0 there): these losses return 0, the core's 0/0 = 0.
  const cases = [
    ['sigmoidFocalLoss (torchvision.ops.sigmoid_focal_loss)', (r: 'none' | 'mean' | 'sum') => sigmoidFocalLoss([], [], { reduction: r })],
    ['smoothL1Loss (torch smooth_l1_loss)', (r: 'none' | 'mean' | 'sum') => smoothL1Loss([], [], { reduction: r })],
    ['giouLoss (torchvision.ops.generalized_box_iou_loss)', (r: 'none' | 'mean' | 'sum') => giouLoss([], [], { reduction: r })],
    ['crossEntropy (torch cross_entropy)', (r: 'none' | 'mean' | 'sum') => tf.tidy(() => crossEntropy(tf.zeros([0, 3]), [], { reduction: r }))],
  ] as const;
  it.each(cases)('%s: [0] unreduced, 0 summed or averaged', (_name, loss) =>
    noLeak(() => {
      const none = loss('none');
      expect(none.shape).toEqual([0]);
      none.dispose();
      for (const r of ['mean', 'sum'] as const) {
        const v = loss(r);
        expect(v.shape, r).toEqual([]);
        expect(take<number>(v), r).toBe(0);
      }
    }));
});
