import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roiAlign } from '../../../src/core/roi';
import { setRoiKernel } from '../../../src/core/roi/roi-gather';
import { refRoiAlign } from './torchvision-reference';

// Reference semantics: torchvision.ops.roi_align, CPU kernel (roi_align_kernel.cpp and
// roi_align_common.h's pre_calc_for_bilinear_interpolate), with features in NHWC.

/** 1x4x4x1 map whose value at (y, x) is 4y + x: bilinear sampling of it returns 4y + x exactly. */
const ramp = () => tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

function run(rois: number[][], opts: Parameters<typeof roiAlign>[2], features = ramp()): number[] {
  const out = roiAlign(features, rois, opts);
  const v = Array.from(out.dataSync());
  out.dispose();
  features.dispose();
  return v;
}

describe('roiAlign: hand-worked values', () => {
  it('one sample in the middle of a 2x2 RoI', () => {
    // roi (0,0)-(2,2), 1 bin, 1 sample at 0 + 0.5 * 2 = 1 on both axes: 4*1 + 1 = 5.
    expect(run([[0, 0, 0, 2, 2]], { outputSize: 1, samplingRatio: 1 })).toEqual([5]);
  });

  it('aligned shifts by half a pixel', () => {
    // start -0.5, size 2, sample at -0.5 + 1 = 0.5: 4*0.5 + 0.5 = 2.5.
    expect(run([[0, 0, 0, 2, 2]], { outputSize: 1, samplingRatio: 1, aligned: true })).toEqual([2.5]);
  });

  it('2x2 bins with 2x2 samples; samples past the last pixel read the last pixel', () => {
    // roi (0,0)-(4,4): bin 2, samples at 0.5, 1.5 (bin 0) and 2.5, 3.5 (bin 1); 3.5 >= H-1 clamps to 3.
    // Mean coordinate: bin 0 -> 1, bin 1 -> (2.5 + 3) / 2 = 2.75.
    // [4*1+1, 4*1+2.75, 4*2.75+1, 4*2.75+2.75] = [5, 6.75, 12, 13.75].
    expect(run([[0, 0, 0, 4, 4]], { outputSize: 2, samplingRatio: 2 })).toEqual([5, 6.75, 12, 13.75]);
  });

  it('outputSize [h, w] and the adaptive grid ceil(roi / bins)', () => {
    // roi (0,0)-(4,4), 1x2 bins, adaptive: grid_h = ceil(4/1) = 4, grid_w = ceil(4/2) = 2.
    // y samples 0.5, 1.5, 2.5, 3.5->3: mean 1.875. x: bin 0 samples 0.5, 1.5 (mean 1); bin 1 2.5, 3.5->3 (mean 2.75).
    // [4*1.875 + 1, 4*1.875 + 2.75] = [8.5, 10.25].
    expect(run([[0, 0, 0, 4, 4]], { outputSize: [1, 2] })).toEqual([8.5, 10.25]);
  });

  it('spatialScale maps image coordinates onto the feature map', () => {
    // (0,0)-(4,4) at scale 0.5 is (0,0)-(2,2) on the map: as the first case, 5.
    expect(run([[0, 0, 0, 4, 4]], { outputSize: 1, samplingRatio: 1, spatialScale: 0.5 })).toEqual([5]);
  });

  it('RoIs partly or wholly outside the map', () => {
    // Wholly outside: samples at 11 > W = 4 contribute 0.
    expect(run([[0, 10, 10, 12, 12]], { outputSize: 1, samplingRatio: 1 })).toEqual([0]);
    // x sample -2 < -1: outside, 0. x sample -0.5 in [-1, 0]: clamped to 0; y = 2: 4*2 + 0 = 8.
    expect(run([[0, -3, 1, -1, 3]], { outputSize: 1, samplingRatio: 1 })).toEqual([0]);
    expect(run([[0, -1.5, 1, 0.5, 3]], { outputSize: 1, samplingRatio: 1 })).toEqual([8]);
    // 2x2 samples: x = -1.5 (outside, 0) and -0.5 (clamped to x = 0, value 4y); y = 1.5 and 2.5.
    // (0 + 4*1.5 + 0 + 4*2.5) / 4 = 4.
    expect(run([[0, -2, 1, 0, 3]], { outputSize: 1, samplingRatio: 2 })).toEqual([4]);
  });

  it('zero-size RoIs', () => {
    // aligned: size 0 -> adaptive grid ceil(0) = 0 samples, count max(0, 1) = 1 -> 0.
    expect(run([[0, 1, 1, 1, 1]], { outputSize: 1, aligned: true })).toEqual([0]);
    // aligned with a fixed grid: every sample at 1 - 0.5 = 0.5: 4*0.5 + 0.5 = 2.5.
    expect(run([[0, 1, 1, 1, 1]], { outputSize: 1, aligned: true, samplingRatio: 2 })).toEqual([2.5]);
    // Not aligned: forced to 1x1, one adaptive sample at 1.5: 4*1.5 + 1.5 = 7.5.
    expect(run([[0, 1, 1, 1, 1]], { outputSize: 1 })).toEqual([7.5]);
  });

  it('reads the RoI\'s own batch image and keeps channels apart', () => {
    // Image b, channel c holds 100*b + 10*c + (4y + x).
    const values: number[] = [];
    for (let b = 0; b < 2; b++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 2; c++) values.push(100 * b + 10 * c + 4 * y + x);
    const out = run([[1, 0, 0, 2, 2], [0, 0, 0, 2, 2]], { outputSize: 1, samplingRatio: 1 }, tf.tensor4d(values, [2, 4, 4, 2]));
    expect(out).toEqual([105, 115, 5, 15]);
  });

  it('K = 0 gives [0, h, w, C]', () => {
    const f = ramp();
    const rois = tf.zeros([0, 5]) as tf.Tensor2D;
    const out = roiAlign(f, rois, { outputSize: [2, 3] });
    expect(out.shape).toEqual([0, 2, 3, 1]);
    tf.dispose([out, f, rois]);
    // An empty JS array is K = 0 too.
    const f2 = ramp();
    const out2 = roiAlign(f2, [], { outputSize: 2 });
    expect(out2.shape).toEqual([0, 2, 2, 1]);
    tf.dispose([out2, f2]);
  });
});

describe.each(['simd', 'js', 'tensor'] as const)('roiAlign (%s kernel) against a sample-by-sample port of the torchvision kernel', (kernel) => {
  beforeEach(() => setRoiKernel(kernel));
  afterEach(() => setRoiKernel('auto'));
  it.each([
    [false, 2, 1],
    [true, 0, 0.5],
    [false, -1, 0.25],
    [true, 3, 1],
  ] as const)('aligned=%s samplingRatio=%i spatialScale=%s', (aligned, ratio, scale) => {
    const rnd = seeded(7 + ratio);
    const shape = [2, 9, 11, 3];
    const data = Float32Array.from({ length: 2 * 9 * 11 * 3 }, () => rnd() * 2 - 1);
    const rois: number[][] = Array.from({ length: 40 }, () => {
      const x1 = (rnd() * 16 - 3) / scale;
      const y1 = (rnd() * 14 - 3) / scale;
      return [Math.floor(rnd() * 2), x1, y1, x1 + (rnd() * 10) / scale, y1 + (rnd() * 8) / scale];
    });
    const got = run(rois, { outputSize: [3, 4], samplingRatio: ratio, aligned, spatialScale: scale }, tf.tensor4d(data, shape as [number, number, number, number]));
    const want = refRoiAlign(data, shape, rois, 3, 4, scale, ratio, aligned);
    let maxDiff = 0;
    got.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - want[i]))));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('many RoIs over many channels (several gather chunks) keep their order', () => {
    const rnd = seeded(99);
    const shape = [1, 16, 16, 64];
    const data = Float32Array.from({ length: 16 * 16 * 64 }, () => rnd());
    // Sizes vary so tap counts differ and RoIs are regrouped by tap count.
    const rois = Array.from({ length: 220 }, () => {
      const x1 = rnd() * 12;
      const y1 = rnd() * 12;
      return [0, x1, y1, x1 + rnd() * 12, y1 + rnd() * 12];
    });
    const got = run(rois, { outputSize: 7, samplingRatio: 2 }, tf.tensor4d(data, shape as [number, number, number, number]));
    const want = refRoiAlign(data, shape, rois, 7, 7, 1, 2, false);
    let maxDiff = 0;
    got.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - want[i]))));
    expect(maxDiff).toBeLessThan(1e-5);
  });
});

describe.each(['simd', 'js', 'tensor'] as const)('roiAlign (%s kernel) gradients', (kernel) => {
  beforeEach(() => setRoiKernel(kernel));
  afterEach(() => setRoiKernel('auto'));
  it('tf.grad matches central finite differences', () => {
    const rnd = seeded(3);
    const shape: [number, number, number, number] = [2, 5, 6, 2];
    const data = Float32Array.from({ length: 2 * 5 * 6 * 2 }, () => rnd());
    const rois = [[0, 0.3, 0.7, 3.9, 4.2], [1, -1.5, 2, 2.5, 6], [1, 4, 1, 7, 3.5], [0, 2, 2, 2, 2]];
    const opts = { outputSize: [2, 3] as [number, number], samplingRatio: 2, aligned: true };
    const weights = tf.tensor4d(Array.from({ length: 4 * 2 * 3 * 2 }, () => rnd() - 0.5), [4, 2, 3, 2]);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(roiAlign(x as tf.Tensor4D, rois, opts), weights));
    const x = tf.tensor4d(data, shape);
    const g = tf.grad(loss)(x);
    const analytic = g.dataSync();
    // The op is linear in the features, so a large step is exact up to float32 rounding.
    const eps = 0.5;
    let maxDiff = 0;
    let maxGrad = 0;
    for (let i = 0; i < data.length; i++) {
      const plus = data.slice();
      const minus = data.slice();
      plus[i] += eps;
      minus[i] -= eps;
      const numeric = tf.tidy(() => (loss(tf.tensor4d(plus, shape)).dataSync()[0] - loss(tf.tensor4d(minus, shape)).dataSync()[0]) / (2 * eps));
      maxDiff = Math.max(maxDiff, Math.abs(numeric - analytic[i]));
      maxGrad = Math.max(maxGrad, Math.abs(analytic[i]));
    }
    expect(maxGrad).toBeGreaterThan(0.05);
    expect(maxDiff).toBeLessThan(1e-4);
    tf.dispose([weights, x, g]);
  });
});

describe('roiAlign: bad input', () => {
  it.each([
    ['features of rank 3', () => roiAlign(tf.zeros([4, 4, 1]) as unknown as tf.Tensor4D, [[0, 0, 0, 1, 1]], { outputSize: 1 }), /roiAlign: 'features' must be a \[batch, height, width, channels\] tensor/],
    ['rois of width 4', () => roiAlign(ramp(), [[0, 0, 1, 1]], { outputSize: 1 }), /'rois' must be a \[K, 5\] tensor/],
    ['a NaN coordinate', () => roiAlign(ramp(), [[0, NaN, 0, 1, 1]], { outputSize: 1 }), /'rois' must be finite numbers, got NaN in row 0/],
    ['a batch index out of range', () => roiAlign(ramp(), [[1, 0, 0, 1, 1]], { outputSize: 1 }), /'rois' must be batch indices that are integers in \[0, 0\]/],
    ['a negative width', () => roiAlign(ramp(), [[0, 2, 0, 1, 1]], { outputSize: 1 }), /'rois' must be boxes with x2 >= x1 and y2 >= y1/],
    ['outputSize 0', () => roiAlign(ramp(), [[0, 0, 0, 1, 1]], { outputSize: 0 }), /'outputSize' must be a positive integer/],
    ['a negative spatialScale', () => roiAlign(ramp(), [[0, 0, 0, 1, 1]], { outputSize: 1, spatialScale: -1 }), /'spatialScale' must be a positive finite number/],
    ['a fractional samplingRatio', () => roiAlign(ramp(), [[0, 0, 0, 1, 1]], { outputSize: 1, samplingRatio: 1.5 }), /'samplingRatio' must be an integer/],
  ])('%s throws a named error', (_name, fn, message) => {
    // The ramp()/zeros made for the call are tidied so the tensor count is unchanged.
    tf.tidy(() => {
      expect(fn).toThrow(message);
    });
  });
});
