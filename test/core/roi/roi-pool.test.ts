import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roiPool } from '../../../src/core/roi';
import { setRoiKernel } from '../../../src/core/roi/roi-gather';
import { refRoiPool } from './torchvision-reference';

// Reference semantics: torchvision.ops.roi_pool, CPU kernel (roi_pool_kernel.cpp), features in NHWC.

/** 1x4x4x1 map whose value at (y, x) is 4y + x + 1 (all positive, so an empty bin's 0 stands out). */
const ramp = () => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

function run(rois: number[][], opts: Parameters<typeof roiPool>[2], features = ramp()): number[] {
  const out = roiPool(features, rois, opts);
  const v = Array.from(out.dataSync());
  tf.dispose([out, features]);
  return v;
}

describe('roiPool: hand-worked values', () => {
  it('max over each bin', () => {
    // roi (0,0)-(3,3): 4x4 pixels, bins of 2: rows/cols [0,2) and [2,4).
    // Maxima at (1,1), (1,3), (3,1), (3,3): 4y + x + 1 = 6, 8, 14, 16.
    expect(run([[0, 0, 0, 3, 3]], { outputSize: 2 })).toEqual([6, 8, 14, 16]);
  });

  it('corners round half away from zero (C round), and a bin clipped to nothing is 0', () => {
    // 0.5 -> 1 and 2.5 -> 3: rows/cols 1..3, one bin: max at (3,3) = 16.
    expect(run([[0, 0.5, 0.5, 2.5, 2.5]], { outputSize: 1 })).toEqual([16]);
    // -0.5 -> -1 (Math.round would give 0), 0.4 -> 0: size 2, bins of 1: bin 0 is row/col -1, clipped empty -> 0;
    // bin 1 is row/col 0. Only (1,1) is non-empty: pixel (0,0) = 1.
    expect(run([[0, -0.5, -0.5, 0.4, 0.4]], { outputSize: 2 })).toEqual([0, 0, 0, 1]);
  });

  it('bins are computed in float32 like the kernel', () => {
    // 10 rows pooled into 7: bin = f32(10/7); the last bin ends at ceil(f32(7 * f32(10/7))) = ceil(10) = 10,
    // (in float64 7 * 1.4285714626 = 10.0000002 would give 11). Rows 8, 9 -> max 9 (value = row index).
    const f = tf.tensor4d(Array.from({ length: 12 }, (_, i) => i), [1, 12, 1, 1]);
    const out = run([[0, 0, 0, 0, 9]], { outputSize: [7, 1] }, f);
    expect(out[6]).toBe(9);
  });

  it('RoIs outside the map give 0; negative features are kept in non-empty bins', () => {
    expect(run([[0, 10, 10, 12, 12]], { outputSize: 2 })).toEqual([0, 0, 0, 0]);
    const neg = tf.tensor4d(Array.from({ length: 16 }, (_, i) => -1 - i), [1, 4, 4, 1]);
    // roi (0,0)-(1,1), one bin: max of -1, -2, -5, -6 is -1.
    expect(run([[0, 0, 0, 1, 1]], { outputSize: 1 }, neg)).toEqual([-1]);
  });

  it('spatialScale, batch index and zero-size RoIs', () => {
    const values: number[] = [];
    for (let b = 0; b < 2; b++) for (let i = 0; i < 16; i++) values.push(100 * b + i + 1);
    // (0,0)-(6,6) at scale 0.5 is (0,0)-(3,3) on image 1: max 116.
    // The zero-size RoI at (x 2, y 1) scales to (1, 0.5), rounds to pixel (x 1, y 1), and is kept as 1x1: 100 + 4*1 + 1 + 1.
    const out = run([[1, 0, 0, 6, 6], [1, 2, 1, 2, 1]], { outputSize: 1, spatialScale: 0.5 }, tf.tensor4d(values, [2, 4, 4, 1]));
    expect(out).toEqual([116, 106]);
  });

  it('K = 0', () => {
    const f = ramp();
    const out = roiPool(f, [], { outputSize: [2, 3] });
    expect(out.shape).toEqual([0, 2, 3, 1]);
    tf.dispose([out, f]);
  });
});

describe.each(['simd', 'js', 'tensor'] as const)('roiPool (%s kernel) against a loop port of the torchvision kernel', (kernel) => {
  beforeEach(() => setRoiKernel(kernel));
  afterEach(() => setRoiKernel('auto'));
  it('random RoIs, scales and channels', () => {
    let s = 5;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const shape = [2, 10, 13, 3];
    const data = Float32Array.from({ length: 2 * 10 * 13 * 3 }, () => rnd() * 2 - 1);
    const rois = Array.from({ length: 60 }, () => {
      const x1 = rnd() * 36 - 6;
      const y1 = rnd() * 30 - 6;
      return [Math.floor(rnd() * 2), x1, y1, x1 + rnd() * 20, y1 + rnd() * 16];
    });
    const got = run(rois, { outputSize: [3, 5], spatialScale: 0.5 }, tf.tensor4d(data, shape as [number, number, number, number]));
    expect(got).toEqual(Array.from(refRoiPool(data, shape, rois, 3, 5, 0.5)));
  });
});

describe.each(['simd', 'js', 'tensor'] as const)('roiPool (%s kernel) gradients', (kernel) => {
  beforeEach(() => setRoiKernel(kernel));
  afterEach(() => setRoiKernel('auto'));
  it('each bin sends its gradient to its max pixel', () => {
    const f = ramp();
    const g = tf.grad((x: tf.Tensor) => tf.sum(roiPool(x as tf.Tensor4D, [[0, 0, 0, 3, 3], [0, 0, 0, 1, 1]], { outputSize: 2 })))(f);
    // First RoI: maxima at (1,1), (1,3), (3,1), (3,3). Second RoI (2x2, bins of one pixel) touches (0,0), (0,1), (1,0), (1,1).
    const expected = new Array(16).fill(0);
    for (const [y, x] of [[1, 1], [1, 3], [3, 1], [3, 3], [0, 0], [0, 1], [1, 0], [1, 1]]) expected[4 * y + x] += 1;
    expect(Array.from(g.dataSync())).toEqual(expected);
    tf.dispose([f, g]);
  });

  it('a bin whose pixels tie sends the whole gradient to the first of them in raster order (torchvision argmax)', () => {
    const base = tf.memory().numTensors;
    // All zeros, as after a ReLU: every pixel of the 4x4 map ties.
    const f = tf.zeros([1, 4, 4, 1]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(roiPool(x as tf.Tensor4D, [[0, 0, 0, 3, 3]], { outputSize: 2 })))(f);
    // Bins of 2x2 pixels start at (y, x) = (0,0), (0,2), (2,0), (2,2); torchvision's `>` keeps the first it meets.
    const expected = new Array(16).fill(0);
    for (const [y, x] of [[0, 0], [0, 2], [2, 0], [2, 2]]) expected[4 * y + x] = 1;
    expect(Array.from(g.dataSync())).toEqual(expected);
    tf.dispose([f, g]);
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('roiPool: bad input', () => {
  it('names the argument', () => {
    tf.tidy(() => {
      expect(() => roiPool(ramp(), [[0, 0, 0, 1]], { outputSize: 1 })).toThrow(/roiPool: 'rois' must be a \[K, 5\] tensor/);
      expect(() => roiPool(ramp(), [[0, 0, 0, 1, 1]], { outputSize: [2, 0] })).toThrow(/roiPool: 'outputSize' must be a positive integer/);
      expect(() => roiPool(ramp(), [[0, 0, 0, 1, Infinity]], { outputSize: 2 })).toThrow(/roiPool: 'rois' must be finite numbers/);
    });
  });
});
