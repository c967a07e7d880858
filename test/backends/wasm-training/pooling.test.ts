import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndWasm, expectClose, onBackend, randomValues, relErr, useWasmWithKernels, withBuiltIn } from './compare';

// Reference: tfjs-backend-cpu's MaxPoolGrad / AvgPoolGrad / MaxPool, which
// follow PyTorch's max_pool2d backward: each window's gradient goes to the
// first maximum in row-major window order; padded cells never win.

/** Values rounded to halves so windows hold ties; `shift` < 0 makes them all negative. */
function tied(shape: [number, number, number, number], seed: number, shift = 0): tf.Tensor4D {
  const v = randomValues(shape.reduce((a, b) => a * b, 1), seed).map((x) => Math.round(x * 2) / 2 + shift);
  return tf.tensor4d(v, shape);
}

type PoolCase = { name: string; x: [number, number, number, number]; size: number | [number, number]; stride: number | [number, number]; pad: 'same' | 'valid'; shift: number };
const cases: PoolCase[] = [
  { name: '2x2/2 valid, ties', x: [2, 6, 6, 3], size: 2, stride: 2, pad: 'valid', shift: 0 },
  { name: '2x2/2 valid, all negative', x: [2, 6, 6, 5], size: 2, stride: 2, pad: 'valid', shift: -2 },
  { name: '3x3/2 same (overlapping windows), all negative', x: [2, 7, 5, 3], size: 3, stride: 2, pad: 'same', shift: -3 },
  { name: '3x3/1 same, ties, 5 channels', x: [1, 5, 6, 5], size: 3, stride: 1, pad: 'same', shift: 0 },
  { name: '3x2 window, strides [1,2] valid', x: [2, 6, 7, 2], size: [3, 2], stride: [1, 2], pad: 'valid', shift: -1 },
];

function maxPoolGradOf(c: PoolCase, seed: number) {
  return () => {
    const x = tied(c.x, seed, c.shift);
    const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, c.size, c.stride, c.pad);
    // Weight output k by k + 1 so every window's gradient is distinct.
    const f = (t: tf.Tensor) => {
      const y = pool(t);
      return tf.sum(tf.mul(y, tf.range(1, y.size + 1).reshape(y.shape)));
    };
    return tf.grad(f)(x);
  };
}

describe('wasm MaxPoolGrad matches the CPU backend', () => {
  beforeAll(useWasmWithKernels);

  for (const [i, c] of cases.entries()) {
    it(`${c.name}`, async () => {
      // dy = 1, 2, 3, ... so each output's gradient lands somewhere identifiable.
      const [[cpu], [wasm]] = await cpuAndWasm(maxPoolGradOf(c, 100 + i));
      expectClose(wasm, cpu);
    });
  }

  /** Gradient of 5 * maxPool(window) for one 2x2 window given row-major. */
  const windowGrad = (v: number[]) => () =>
    tf.grad((t: tf.Tensor) => tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), 5).sum())(tf.tensor4d(v, [1, 2, 2, 1]));

  it('hand-worked windows: ties go to the first maximum; all-negative windows route to their maximum', async () => {
    // [1, 1, 0, 1]: max 1 at cells 0, 1, 3 -> the first (cell 0) gets dy = 5.
    const [[cpuTie], [wasmTie]] = await cpuAndWasm(windowGrad([1, 1, 0, 1]));
    expect(Array.from(cpuTie)).toEqual([5, 0, 0, 0]);
    expect(Array.from(wasmTie)).toEqual([5, 0, 0, 0]);
    // [-4, -3, -2, -1]: max -1 at cell 3.
    const [[cpuNeg], [wasmNeg]] = await cpuAndWasm(windowGrad([-4, -3, -2, -1]));
    expect(Array.from(cpuNeg)).toEqual([0, 0, 0, 5]);
    expect(Array.from(wasmNeg)).toEqual([0, 0, 0, 5]);
  });

  it("tfjs 4.22's built-in wasm MaxPoolGrad is wrong on the same windows (why it is replaced)", async () => {
    // Its running max starts at the smallest positive float, so in an all-negative window
    // nothing beats it and dy goes to cell 0; on ties it keeps the last maximum.
    const [neg] = await withBuiltIn('MaxPoolGrad', () => onBackend('wasm', windowGrad([-4, -3, -2, -1])));
    expect(Array.from(neg)).toEqual([5, 0, 0, 0]);
    const [tie] = await withBuiltIn('MaxPoolGrad', () => onBackend('wasm', windowGrad([1, 1, 0, 1])));
    expect(Array.from(tie)).toEqual([0, 0, 0, 5]);
    const [[cpu]] = await cpuAndWasm(maxPoolGradOf(cases[1], 101));
    const [builtIn] = await withBuiltIn('MaxPoolGrad', () => onBackend('wasm', maxPoolGradOf(cases[1], 101)));
    expect(relErr(builtIn, cpu)).toBeGreaterThan(1e-4);
  });
});

describe('wasm AvgPoolGrad (built-in, kept) matches the CPU backend', () => {
  beforeAll(useWasmWithKernels);
  const avgCases = cases.map((c) => ({ ...c, shift: c.shift - 0.25 }));
  for (const [i, c] of avgCases.entries()) {
    it(`${c.name}`, async () => {
      const [[cpu], [wasm]] = await cpuAndWasm(() => {
        const x = tied(c.x, 200 + i, c.shift);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.avgPool(t as tf.Tensor4D, c.size, c.stride, c.pad))))(x);
      });
      expectClose(wasm, cpu);
    });
  }
});

describe('wasm MaxPool with rounded output sizes matches the CPU backend', () => {
  beforeAll(useWasmWithKernels);

  for (const mode of ['ceil', 'round', 'floor'] as const) {
    it(`3x3/2, pad 0, dimRoundingMode '${mode}'`, async () => {
      // 6 rows: (6 - 3) / 2 + 1 = 2.5 -> ceil 3 / round 3 / floor 2 output rows.
      const [[cpu], [wasm]] = await cpuAndWasm(() => tf.maxPool(tied([2, 6, 6, 3], 7, -1), 3, 2, 0, mode));
      expect(wasm.length).toBe(mode === 'floor' ? 2 * 2 * 2 * 3 : 2 * 3 * 3 * 3);
      expectClose(wasm, cpu);
    });
  }
});
