import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { roiAlign, roiPool } from '../../../src/core/roi';
import { setRoiKernel } from '../../../src/core/roi/roi-gather';
import { ROI_ALIGN, ROI_POOL, setWasmHeapKernels } from '../../../src/core/roi/roi-kernels';
import { registerWasmTrainingKernels } from '../../../src/backends/wasm-training';
import { roiModuleBytes, simdMaxGather, simdMaxScatter, simdWeightedGather, simdWeightedScatter } from '../../../src/core/roi/roi-simd';

// The direct RoI kernels (WebAssembly SIMD over a compressed tap plan,
// registered for the cpu and wasm backends) against the composed path they
// replace there (tf.gather + matMul / max over the taps, tfjs's own gradients),
// which roi-align.test.ts and roi-pool.test.ts check against ports of
// torchvision's CPU kernels. Forward and backward, on both backends.

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

/** Each row (x1, y1, x2, y2) inside or partly outside an HxW map; `grid` rounds values so max-pool windows hold ties. */
function workload(seed: number, shape: [number, number, number, number], K: number, grid = 0) {
  const rnd = seeded(seed);
  const [B, H, W] = shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, () => (grid ? Math.round(rnd() * grid) / grid : rnd() * 2 - 1));
  const rois = Array.from({ length: K }, () => {
    const x1 = rnd() * (W + 2) - 2;
    const y1 = rnd() * (H + 2) - 2;
    return [Math.floor(rnd() * B), x1, y1, x1 + rnd() * W * 0.8, y1 + rnd() * H * 0.8];
  });
  return { data, rois };
}

type Op = (x: tf.Tensor4D) => tf.Tensor4D;

/** Forward and the gradient for a random dy, with the given kernel, as arrays; checks no tensor is left behind. */
function forwardBackward(kernel: 'simd' | 'js' | 'tensor', shape: [number, number, number, number], data: Float32Array, op: Op, seed: number): [Float32Array, Float32Array] {
  setRoiKernel(kernel);
  const before = tf.memory().numTensors;
  const [y, g] = tf.tidy(() => {
    const x = tf.tensor4d(data, shape);
    const out = op(x);
    const rnd = seeded(seed);
    const dy = tf.tensor(Float32Array.from({ length: out.size }, () => rnd() - 0.5), out.shape);
    return [out, tf.grad((t: tf.Tensor) => op(t as tf.Tensor4D))(x, dy)];
  });
  const result: [Float32Array, Float32Array] = [Float32Array.from(y.dataSync()), Float32Array.from(g.dataSync())];
  tf.dispose([y, g]);
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

afterEach(() => setRoiKernel('auto'));

describe('the SIMD modules', () => {
  it.each(['align', 'pool'] as const)('%s: a valid module under the 4 KB a browser compiles synchronously', (family) => {
    const own = roiModuleBytes(family);
    expect(WebAssembly.validate(own)).toBe(true);
    expect(own.length).toBeLessThan(4096);
    // The variant that runs inside tfjs-backend-wasm's heap imports its memory instead.
    expect(WebAssembly.validate(roiModuleBytes(family, { importShared: false }))).toBe(true);
  });

  // 3 bins over a 4-row, 6-channel map (6 = 4 SIMD lanes + 2 scalar tail).
  // Row r, channel c holds (6r + c) * 7 mod 11 - 5.
  const C = 6;
  const src = Float32Array.from({ length: 4 * C }, (_, i) => ((i * 7) % 11) - 5);
  // bin 0: 0.5 * row1 + 2 * row3; bin 1: no taps; bin 2: rows 0, 2, 3 with weight 1.
  const plan = { nBins: 3, starts: Int32Array.from([0, 2, 2, 5]), idx: Int32Array.from([1, 3, 0, 2, 3]), w: Float32Array.from([0.5, 2, 1, 1, 1]) };
  // rows: 0 [-5, 2, -2, 5, 1, -3]; 1 [4, 0, -4, 3, -1, -5]; 2 [2, -2, 5, 1, -3, 4]; 3 [0, -4, 3, -1, -5, 2]

  it('weighted gather and scatter, hand-worked', () => {
    expect(Array.from(simdWeightedGather(plan, C, src))).toEqual([
      2, -8, 4, -0.5, -10.5, 1.5, // 0.5 * row1 + 2 * row3
      0, 0, 0, 0, 0, 0, // no taps
      -3, -4, 6, 5, -7, 3, // row0 + row2 + row3
    ]);
    // dy = 1 everywhere: row r receives the sum of its weights: row0 1, row1 0.5, row2 1, row3 2 + 1.
    const dx = simdWeightedScatter(plan, C, new Float32Array(3 * C).fill(1), 4 * C);
    expect(Array.from(dx)).toEqual([...Array(6).fill(1), ...Array(6).fill(0.5), ...Array(6).fill(1), ...Array(6).fill(3)]);
  });

  it('max gather and first-maximum scatter, hand-worked', () => {
    expect(Array.from(simdMaxGather(plan, C, src))).toEqual([
      4, 0, 3, 3, -1, 2, // max(row1, row3)
      0, 0, 0, 0, 0, 0, // an empty bin is 0
      2, 2, 5, 5, 1, 4, // max(row0, row2, row3)
    ]);
    // Which row holds each maximum: bin 0 -> [1, 1, 3, 1, 1, 3], bin 2 -> [2, 0, 2, 0, 0, 2].
    const dx = simdMaxScatter(plan, C, src, new Float32Array(3 * C).fill(1));
    expect(Array.from(dx)).toEqual([0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('ties go to the first tap; values at -FLT_MAX or NaN never win', () => {
    const one = { nBins: 1, starts: Int32Array.from([0, 3]), idx: Int32Array.from([0, 1, 2]), w: Float32Array.from([1, 1, 1]) };
    // Channel 0: 1, 1, 1 (tie: tap 0); channel 1: NaN, 2, 2 (tap 1); channel 2: all -FLT_MAX (no gradient); channel 3: -1, 3, 3.
    const m = -3.4028234663852886e38;
    const x = Float32Array.from([1, NaN, m, -1, 1, 2, m, 3, 1, 2, m, 3]);
    expect(Array.from(simdMaxGather(one, 4, x))).toEqual([1, 2, m, 3]);
    expect(Array.from(simdMaxScatter(one, 4, x, Float32Array.from([1, 2, 3, 4])))).toEqual([1, 0, 0, 0, 0, 2, 0, 4, 0, 0, 0, 0]);
  });
});

describe.each(['cpu', 'wasm'])('the direct kernels on %s against the composed path', (backend) => {
  beforeAll(async () => {
    if (backend === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels(); // the composed path's gradients need UnsortedSegmentSum
    }
    await tf.setBackend(backend);
    await tf.ready();
  });

  // 37 channels = two 16-lane chunks, one of 4 and one scalar: every loop of the kernels runs.
  // Small maps and few RoIs: tfjs's cpu gather gradient (the composed path) costs segments x taps.
  it.each([
    ['aligned, adaptive grid', [2, 9, 12, 37], 12, { outputSize: [3, 4] as [number, number], aligned: true, spatialScale: 1 }],
    ['sampling 2, 7x7, spatialScale 0.5', [1, 7, 8, 37], 6, { outputSize: 7, samplingRatio: 2, spatialScale: 0.5 }],
  ] as const)('roiAlign %s: forward and gradient', (_name, shapeArg, K, opts) => {
    const shape = [...shapeArg] as [number, number, number, number];
    const { data, rois } = workload(11, shape, K);
    const op: Op = (x) => roiAlign(x, rois, opts);
    const [y, g] = forwardBackward('simd', shape, data, op, 5);
    // Only the float32 rounding order differs (separate multiply and add vs the
    // JS loop's double product; the gather gradient's summation order).
    for (const ref of ['tensor', 'js'] as const) {
      const [yRef, gRef] = forwardBackward(ref, shape, data, op, 5);
      expect(maxAbsDiff(y, yRef)).toBeLessThan(1e-5);
      expect(maxAbsDiff(g, gRef)).toBeLessThan(1e-5);
    }
    expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('roiPool with ties: forward and gradient (the first maximum in raster order)', () => {
    const shape: [number, number, number, number] = [2, 10, 9, 21];
    const { data, rois } = workload(13, shape, 20, 4); // values on a 1/4 grid: many ties
    const op: Op = (x) => roiPool(x, rois, { outputSize: [3, 2], spatialScale: 0.8 });
    const [y, g] = forwardBackward('simd', shape, data, op, 6);
    const [yRef, gRef] = forwardBackward('tensor', shape, data, op, 6);
    // The max is exact; the gradients agree up to the order tfjs's gather
    // gradient (UnsortedSegmentSum) adds overlapping bins in.
    expect(Array.from(y)).toEqual(Array.from(yRef));
    expect(maxAbsDiff(g, gRef)).toBeLessThan(1e-6);
    // The JS loop kernel adds in the same order as this one: bit for bit.
    const [yJs, gJs] = forwardBackward('js', shape, data, op, 6);
    expect(Array.from(y)).toEqual(Array.from(yJs));
    expect(Array.from(g)).toEqual(Array.from(gJs));
    expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('the copying path (wasm heap not importable) gives the same values', () => {
    const shape: [number, number, number, number] = [1, 8, 8, 21];
    const { data, rois } = workload(17, shape, 10);
    const align: Op = (x) => roiAlign(x, rois, { outputSize: 3, samplingRatio: 2 });
    const pool: Op = (x) => roiPool(x, rois, { outputSize: 3 });
    const inPlace = [forwardBackward('simd', shape, data, align, 1), forwardBackward('simd', shape, data, pool, 2)];
    setWasmHeapKernels(false);
    try {
      const copied = [forwardBackward('simd', shape, data, align, 1), forwardBackward('simd', shape, data, pool, 2)];
      copied.forEach(([y, g], i) => {
        expect(Array.from(y)).toEqual(Array.from(inPlace[i][0]));
        expect(Array.from(g)).toEqual(Array.from(inPlace[i][1]));
      });
    } finally {
      setWasmHeapKernels(true);
    }
  });

  it('tf.profile names the kernels, so the step profile shows them', async () => {
    const shape: [number, number, number, number] = [1, 6, 6, 4];
    const { data, rois } = workload(3, shape, 5);
    setRoiKernel('auto');
    const x = tf.tensor4d(data, shape);
    const info = await tf.profile(() => tf.tidy(() => [roiAlign(x, rois, { outputSize: 2 }), roiPool(x, rois, { outputSize: 2 })]));
    expect(info.kernels.map((k) => k.name)).toEqual([ROI_ALIGN, ROI_POOL]);
    x.dispose();
    tf.dispose(info.result as tf.Tensor[]);
  });
});
