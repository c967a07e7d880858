import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cpuAndWasm, expectClose, onBackend, rand, relErr, useWasmWithKernels, withBuiltIn } from './compare';
import { explainMissingKernel, wasmTrainingKernelNames } from '../../../src/backends/wasm-training';

// Reference: tfjs-backend-cpu's Slice, OneHot, ClipByValue, MaxPool.

describe('wasm Slice reads wasm memory in place', () => {
  beforeAll(useWasmWithKernels);

  const cases: [string, number[], number[], number[]][] = [
    ['4D batch rows (contiguous)', [5, 3, 4, 2], [1, 0, 0, 0], [3, 3, 4, 2]],
    ['4D crop (strided)', [2, 5, 6, 3], [0, 1, 2, 1], [2, 3, 3, 2]],
    ['2D columns', [6, 7], [1, 2], [4, 3]],
    ['3D with -1 size', [3, 4, 5], [1, 1, 0], [-1, 2, -1]],
    ['5D', [2, 3, 2, 3, 4], [1, 0, 1, 1, 1], [1, 2, 1, 2, 3]],
  ];
  for (const [name, shape, begin, size] of cases) {
    it(name, async () => {
      const [[cpu], [wasm]] = await cpuAndWasm(() => tf.slice(rand(shape, 5), begin, size));
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
    });
  }

  it('int32 and bool slices keep their values', async () => {
    const fn = () => [tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [0, 1], [2, 2]), tf.slice(tf.tensor1d([true, false, true], 'bool'), [1], [2])];
    const [, wasm] = await cpuAndWasm(fn);
    // [[1,2,3],[4,5,6]] columns 1..2 -> [2,3,5,6]; [t,f,t] from 1 -> [f,t].
    expect(Array.from(wasm[0])).toEqual([2, 3, 5, 6]);
    expect(Array.from(wasm[1])).toEqual([0, 1]);
  });

  it('never copies the whole input out of wasm memory (the built-in did, on every call)', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { readSync: (...a: unknown[]) => unknown };
    const spy = vi.spyOn(backend, 'readSync');
    const big = rand([64, 8, 8, 3], 9);
    const parts = [tf.slice(big, [8, 0, 0, 0], [8, 8, 8, 3]), tf.slice(big, [0, 2, 2, 0], [4, 4, 4, 3])];
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    tf.dispose([big, ...parts]);
  });
});

describe('wasm OneHot, ClipByValue and MaxPool fixes', () => {
  beforeAll(useWasmWithKernels);

  it("oneHot(..., 'float32') gives 1s and 0s, and -1 / out-of-range indices give a zero row", async () => {
    const fn = () => tf.oneHot(tf.tensor1d([0, 2, -1, 3], 'int32'), 3, 1, 0, 'float32');
    const [[cpu], [wasm]] = await cpuAndWasm(fn);
    const expected = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    expect(Array.from(cpu)).toEqual(expected);
    expect(Array.from(wasm)).toEqual(expected);
    // The built-in writes the int bit pattern of 1 into the float buffer (reads as ~1.4e-45).
    const [builtIn] = await withBuiltIn('OneHot', () => onBackend('wasm', fn));
    expect(Array.from(builtIn)).not.toEqual(expected);
  });

  it('oneHot with on/off values 5 / -1 in float32', async () => {
    const [[cpu], [wasm]] = await cpuAndWasm(() => tf.oneHot(tf.tensor2d([[1], [0]], [2, 1], 'int32'), 2, 5, -1, 'float32'));
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
    expect(Array.from(wasm)).toEqual([-1, 5, 5, -1]);
  });

  it('clipByValue on int32 clips the integers', async () => {
    // [-5, 3, 10, 0] clipped to [0, 5] -> [0, 3, 5, 0].
    const fn = () => tf.clipByValue(tf.tensor1d([-5, 3, 10, 0], 'int32'), 0, 5);
    const [[cpu], [wasm]] = await cpuAndWasm(fn);
    expect(Array.from(cpu)).toEqual([0, 3, 5, 0]);
    expect(Array.from(wasm)).toEqual([0, 3, 5, 0]);
    const [builtIn] = await withBuiltIn('ClipByValue', () => onBackend('wasm', fn));
    expect(Array.from(builtIn)).not.toEqual([0, 3, 5, 0]);
  });

  it('clipByValue on float32 still uses the built-in and matches CPU', async () => {
    const [[cpu], [wasm]] = await cpuAndWasm(() => tf.clipByValue(rand([50], 3), -0.3, 0.4));
    expectClose(wasm, cpu, 0);
  });

  it("the built-in MaxPool with 'ceil' rounding leaves rows it never writes (why it is replaced)", async () => {
    const fn = () => tf.maxPool(tf.sub(rand([1, 6, 6, 2], 4), 2) as tf.Tensor4D, 3, 2, 0, 'ceil');
    const [[cpu]] = await cpuAndWasm(fn);
    const [builtIn] = await withBuiltIn('MaxPool', () => onBackend('wasm', fn));
    // All inputs are in [-3, -1), so any value >= -1 in the output is not a max of the window.
    expect(relErr(builtIn, cpu)).toBeGreaterThan(1e-4);
  });
});

describe('wasm Sum over leading axes (a conv bias gradient) matches the CPU backend', () => {
  beforeAll(useWasmWithKernels);

  it('sum over N,H,W of an NHWC tensor, with and without keepDims', async () => {
    const fn = () => {
      const x = rand([3, 4, 5, 6], 12);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [0, 1], true), tf.sum(x, [-4])];
    };
    const [cpu, wasm] = await cpuAndWasm(fn);
    for (let k = 0; k < 3; k++) expectClose(wasm[k], cpu[k]);
  });

  it('a hand-worked case: [[1,2],[3,4],[5,6]] summed over axis 0 is [9, 12]', async () => {
    const [[cpu], [wasm]] = await cpuAndWasm(() => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), 0));
    expect(Array.from(cpu)).toEqual([9, 12]);
    expect(Array.from(wasm)).toEqual([9, 12]);
  });

  it('other reductions (inner axes, all axes, int32) still go through the built-in and agree', async () => {
    const fn = () => {
      const x = rand([3, 4, 5], 13);
      return [tf.sum(x, 2), tf.sum(x, [1, 2]), tf.sum(x), tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0)];
    };
    const [cpu, wasm] = await cpuAndWasm(fn);
    for (let k = 0; k < 4; k++) expectClose(wasm[k], cpu[k]);
  });
});

describe('wasm UnsortedSegmentSum (the gradient of tf.gather)', () => {
  beforeAll(useWasmWithKernels);

  it('sums rows into their segments and drops out-of-range ids', async () => {
    // rows [1,2], [3,4], [5,6], [7,8] with ids [2, 0, 2, 5], 3 segments:
    // seg0 = [3,4]; seg1 = [0,0]; seg2 = [1+5, 2+6] = [6,8]; id 5 is dropped.
    const fn = () => tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor1d([2, 0, 2, 5], 'int32'), 3);
    const [[cpu], [wasm]] = await cpuAndWasm(fn);
    expect(Array.from(cpu)).toEqual([3, 4, 0, 0, 6, 8]);
    expect(Array.from(wasm)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('the gradient of gather with repeated indices matches CPU', async () => {
    const fn = () => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([3, 1, 3, 0], 'int32')))))(rand([5, 3], 8));
    const [[cpu], [wasm]] = await cpuAndWasm(fn);
    expectClose(wasm, cpu);
  });
});

describe('missing kernels fail loudly with a way out', () => {
  beforeAll(useWasmWithKernels);

  it('a wasm kernel that does not exist names itself and the backends that have it', async () => {
    await tf.setBackend('wasm');
    // Einsum exists on cpu in tfjs 4.22 but not on wasm.
    expect(tf.getKernel('Einsum', 'wasm')).toBeUndefined();
    const a = tf.ones([2, 3]);
    const b = tf.ones([3, 2]);
    let msg = '';
    try {
      tf.einsum('ij,jk->ik', a, b);
    } catch (e) {
      msg = (e as Error).message;
    }
    tf.dispose([a, b]);
    expect(msg).toContain("no kernel named 'Einsum'");
    expect(msg).toContain("'wasm' backend");
    expect(msg).toMatch(/Backends that have it: .*'cpu'/);
    // In Node only cpu and wasm can start, so the way out it names must be one of them.
    expect(msg).toContain("useBackend('cpu')");
    expect(msg).not.toMatch(/'webgl'|'webgpu'/);
  });

  it('explainMissingKernel leaves other errors alone', () => {
    const e = new Error('shapes do not match');
    expect(explainMissingKernel(e)).toBe(e);
  });

  it('registers the kernels training needs, and is idempotent', async () => {
    const { registerWasmTrainingKernels } = await import('../../../src/backends/wasm-training');
    const before = wasmTrainingKernelNames().map((n) => tf.getKernel(n, 'wasm')!.kernelFunc);
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(wasmTrainingKernelNames().map((n) => tf.getKernel(n, 'wasm')!.kernelFunc)).toEqual(before);
    for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(wasmTrainingKernelNames()).toContain(name);
    }
  });
});
