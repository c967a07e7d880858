import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndWasm, rand, useWasmWithKernels } from './compare';

// Reference: tfjs-backend-cpu's Tile (and NumPy's np.tile, which it follows).

describe('wasm Tile by block copies', () => {
  beforeAll(useWasmWithKernels);

  const cases: [string, number[], number[]][] = [
    ["FusedBatchNorm's gradient: [1,1,1,C] over [N,H,W,1]", [1, 1, 1, 5], [3, 4, 6, 1]],
    ['every axis repeated', [2, 3, 2], [2, 3, 2]],
    ['no repeat', [3, 4], [1, 1]],
    ['inner axis only', [2, 3], [1, 4]],
    ['1D', [4], [3]],
  ];
  for (const [name, shape, reps] of cases) {
    it(name, async () => {
      const [[cpu], [wasm]] = await cpuAndWasm(() => tf.tile(rand(shape, 3), reps));
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
    });
  }

  it('hand-worked: [[1, 2]] by [2, 2] is [[1, 2, 1, 2], [1, 2, 1, 2]]; int32 and bool keep their values', async () => {
    const [, wasm] = await cpuAndWasm(() => [
      tf.tile(tf.tensor2d([1, 2], [1, 2]), [2, 2]),
      tf.tile(tf.tensor1d([7, -3], 'int32'), [2]),
      tf.tile(tf.tensor1d([true, false], 'bool'), [3]),
    ]);
    expect(Array.from(wasm[0])).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(Array.from(wasm[1])).toEqual([7, -3, 7, -3]);
    expect(Array.from(wasm[2])).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('the BatchNorm gradient on wasm matches cpu', async () => {
    const [cpu, wasm] = await cpuAndWasm(() => {
      const x = rand([4, 5, 5, 3], 1);
      const mean = rand([3], 2);
      const variance = tf.abs(rand([3], 3)).add(0.1);
      const scale = rand([3], 4);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(t as tf.Tensor4D, mean, variance, rand([3], 6), scale, 1e-3), rand([4, 5, 5, 3], 5)));
      return tf.grad(f)(x);
    });
    let err = 0;
    for (let i = 0; i < cpu[0].length; i++) err = Math.max(err, Math.abs(wasm[0][i] - cpu[0][i]));
    expect(err).toBeLessThan(1e-5);
  });
});
