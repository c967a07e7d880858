import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BBOX_XFORM_CLIP, cellAnchors, decodeBoxes, encodeBoxes, generateAnchors, gridAnchors } from '../../src/core/index';
import { roundHalfEven } from '../../src/core/anchors/anchors';
import { expectClose, finiteDifference, noLeak, take } from './helpers';

describe('generateAnchors (py-faster-rcnn generate_anchors)', () => {
  it('gives the classic 9 anchors for base 16, ratios [0.5, 1, 2], scales [8, 16, 32]', () => {
    // base [0,0,15,15]: w = 16, centre 7.5; ratio 0.5: w = round(√(256/0.5)) = round(22.63) = 23,
    // h = round(23·0.5) = round(11.5) = 12 (numpy: half to even). Scale 8: 184 x 96, so
    // x1 = 7.5 - 0.5·(184 - 1) = -84, y1 = 7.5 - 0.5·(96 - 1) = -40, x2 = 7.5 + 91.5 = 99, y2 = 55.
    // ratio 1: 16 x 16; ratio 2: w = round(√128) = 11, h = 22.
    expect(generateAnchors()).toEqual([
      [-84, -40, 99, 55],
      [-176, -88, 191, 103],
      [-360, -184, 375, 199],
      [-56, -56, 71, 71], // 128 x 128: 7.5 ∓ 63.5
      [-120, -120, 135, 135],
      [-248, -248, 263, 263],
      [-36, -80, 51, 95], // 88 x 176: 7.5 ∓ 43.5, 7.5 ∓ 87.5
      [-80, -168, 95, 183],
      [-168, -344, 183, 359],
    ]);
  });
  it('rounds half to even like numpy', () => {
    expect([11.5, 12.5, 2.5, -1.5, -2.5, 3.2].map(roundHalfEven)).toEqual([12, 12, 2, -2, -2, 3]);
  });
  it('names bad options', () => {
    expect(() => generateAnchors({ ratios: [] })).toThrow(/generateAnchors: 'ratios' must be a non-empty array of positive numbers/);
    expect(() => generateAnchors({ baseSize: -1 })).toThrow(/generateAnchors: 'baseSize' must be a positive number/);
  });
});

describe('cellAnchors / gridAnchors (torchvision AnchorGenerator)', () => {
  it('builds zero-centred cell anchors, ratio = height / width', () => {
    // size 32, ratio 0.5: w = 32/√0.5 = 45.25, h = 32·√0.5 = 22.63; halves 22.63, 11.31 → 23, 11
    expect(cellAnchors([32], [0.5, 1, 2])).toEqual([[-23, -11, 23, 11], [-16, -16, 16, 16], [-11, -23, 11, 23]]);
    // ratios outer, sizes inner
    expect(cellAnchors([16, 32], [1])).toEqual([[-8, -8, 8, 8], [-16, -16, 16, 16]]);
  });
  it('shifts cell anchors to (x·stride, y·stride), row-major, levels concatenated', () =>
    noLeak(() => {
      const out = gridAnchors({ featureSizes: [[2, 2], [1, 1]], strides: [16, 32], sizes: [[32], [64]], aspectRatios: [[1], [1, 2]] });
      expect(out.shape).toEqual([2 * 2 * 1 + 1 * 1 * 2, 4]);
      expect(take(out)).toEqual([
        [-16, -16, 16, 16], // (x=0, y=0)
        [0, -16, 32, 16], // (x=1, y=0): +16 in x
        [-16, 0, 16, 32], // (x=0, y=1)
        [0, 0, 32, 32],
        [-32, -32, 32, 32], // level 2, ratio 1
        [-23, -45, 23, 45], // ratio 2: w = 64/√2 = 45.25 → half 22.63 → 23; h/2 = 45.25 → 45
      ]);
    }));
  it('accepts [strideY, strideX] and explicit cell anchors', () =>
    noLeak(() => {
      const out = gridAnchors({ featureSizes: [[2, 1]], strides: [[10, 4]], cellAnchors: [[[0, 0, 1, 1]]] });
      expect(take(out)).toEqual([[0, 0, 1, 1], [0, 10, 1, 11]]);
    }));
  it('names bad options', () => {
    expect(() => gridAnchors({ featureSizes: [[2, 2]], strides: [], sizes: [[32]], aspectRatios: [[1]] })).toThrow(/gridAnchors: 'strides' must be one stride per level \(1\)/);
    expect(() => gridAnchors({ featureSizes: [[2, 2]], strides: [8] })).toThrow(/gridAnchors: 'sizes' must be one list of sizes per level/);
    expect(() => gridAnchors({ featureSizes: [[2, 2.5]] as never, strides: [8], sizes: [[8]], aspectRatios: [[1]] })).toThrow(/gridAnchors: 'featureSizes' must be \[height, width\] pairs of non-negative integers/);
  });
});

describe('encodeBoxes / decodeBoxes (torchvision BoxCoder)', () => {
  it('encodes hand-worked deltas', () =>
    noLeak(() => {
      // anchor [0,0,10,10]: w = h = 10, centre (5,5)
      // gt [2,2,12,12]: centre (7,7) → dx = dy = 2/10 = 0.2, dw = dh = log(10/10) = 0
      // gt [0,0,20,10]: centre (10,5) → dx = 5/10 = 0.5, dy = 0, dw = log 2, dh = 0
      const anchors = [[0, 0, 10, 10], [0, 0, 10, 10]];
      const gt = [[2, 2, 12, 12], [0, 0, 20, 10]];
      expectClose(take(encodeBoxes(gt, anchors)), [[0.2, 0.2, 0, 0], [0.5, 0, Math.log(2), 0]]);
      // weights [10,10,5,5] multiply each column
      expectClose(take(encodeBoxes(gt, anchors, [10, 10, 5, 5])), [[2, 2, 0, 0], [5, 0, 5 * Math.log(2), 0]]);
    }));
  it('decode inverts encode', () =>
    noLeak(() => {
      const anchors = [[0, 0, 10, 10], [5, 5, 25, 15], [-4, 3, 4, 9]];
      const gt = [[2, 2, 12, 12], [0, 0, 20, 10], [-1, 0, 30, 40]];
      const d = encodeBoxes(gt, anchors, [10, 10, 5, 5]);
      expectClose(take(decodeBoxes(d, anchors, [10, 10, 5, 5])), gt, 1e-4);
      d.dispose();
    }));
  it('clamps dw, dh at log(1000/16) when decoding', () =>
    noLeak(() => {
      // dw = 10 → clamped to log 62.5: width 10·62.5 = 625 around centre 5 → [-307.5, 317.5]
      expectClose(take(decodeBoxes([[0, 0, 10, 0]], [[0, 0, 10, 10]])), [[-307.5, 0, 317.5, 10]]);
      expectClose(BBOX_XFORM_CLIP, Math.log(62.5));
    }));
  it('is differentiable: d decode / d dx equals the anchor width', () =>
    noLeak(() => {
      const x = tf.tensor1d([0.1, -0.2, 0.3, 0.05]);
      const f = (t: tf.Tensor) => decodeBoxes(t.reshape([1, 4]), [[0, 0, 10, 20]]).sum();
      // sum = 2cx + 2cy = 2(dx·10 + 5) + 2(dy·20 + 10): ∂/∂dx = 20, ∂/∂dy = 40, ∂/∂dw = ∂/∂dh = 0
      expectClose(take<number[]>(tf.grad(f)(x)), [20, 40, 0, 0]);
      const g = (t: tf.Tensor) => encodeBoxes(t.reshape([1, 4]), [[0, 0, 10, 20]]).sum();
      const p0 = [1, 2, 9, 15];
      const fd = finiteDifference((p) => take<number[][]>(encodeBoxes([p], [[0, 0, 10, 20]]))[0].reduce((a, b) => a + b), p0);
      const x2 = tf.tensor1d(p0);
      expectClose(take<number[]>(tf.grad(g)(x2)), fd, 2e-3);
      tf.dispose([x, x2]);
    }));
  it('empty inputs encode and decode to [0,4] (torchvision BoxCoder on empty tensors)', () =>
    noLeak(() => {
      const none = tf.zeros([0, 4]) as tf.Tensor2D;
      for (const out of [encodeBoxes([], []), encodeBoxes(none, none, [10, 10, 5, 5]), decodeBoxes(none, [], [10, 10, 5, 5])]) {
        expect(out.shape).toEqual([0, 4]);
        out.dispose();
      }
      // A box against no anchor is still a count mismatch, not an empty result.
      expect(() => encodeBoxes([[0, 0, 1, 1]], [])).toThrow(/encodeBoxes: 'anchors' must be one anchor per box \(1\)/);
      none.dispose();
    }));
  it('names bad input', () =>
    noLeak(() => {
      expect(() => encodeBoxes([[0, 0, 1, 1]], [[0, 0, 0, 1]])).toThrow(/encodeBoxes: 'anchors' must be boxes with positive width and height/);
      expect(() => encodeBoxes([[0, 0, 1, 1]], [[0, 0, 1, 1], [0, 0, 1, 1]])).toThrow(/encodeBoxes: 'anchors' must be one anchor per box \(1\)/);
      expect(() => decodeBoxes([[0, 0, 1, 1]], [[0, 0, 1, 1]], [1, 1, 0, 1] as never)).toThrow(/decodeBoxes: 'weights' must be four positive numbers/);
      expect(() => decodeBoxes([[0, NaN, 1, 1]], [[0, 0, 1, 1]])).toThrow(/decodeBoxes: 'deltas' must be finite/);
      expect(take(decodeBoxes([], [])).length).toBe(0);
    }));
});
