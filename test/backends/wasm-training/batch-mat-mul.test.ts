import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { cpuAndWasm, expectClose, rand, useWasmWithKernels } from './compare';

// BatchMatMul with transposeA/transposeB on wasm goes through an explicit transpose (batch-mat-mul.ts);
// reference: tfjs-backend-cpu on the same inputs, every flag combination, plain and batched, plus the
// gradients of a dense-like product (whose backward pass is exactly the transposed cases).
describe('BatchMatMul on wasm with transposed operands agrees with the CPU backend', () => {
  beforeAll(useWasmWithKernels);

  const cases: [string, number[], number[], boolean, boolean][] = [
    ['plain [5,3] x [3,4]', [5, 3], [3, 4], false, false],
    ['transposeA [3,5]^T x [3,4]', [3, 5], [3, 4], true, false],
    ['transposeB [5,3] x [4,3]^T', [5, 3], [4, 3], false, true],
    ['both [3,5]^T x [4,3]^T', [3, 5], [4, 3], true, true],
    ['batched heads [2,3,6,4] x [2,3,7,4]^T', [2, 3, 6, 4], [2, 3, 7, 4], false, true],
    ['batched [2,3,6,7]^T x [2,3,6,4]', [2, 3, 6, 7], [2, 3, 6, 4], true, false],
  ];
  for (const [i, [name, sa, sb, ta, tb]] of cases.entries()) {
    it(name, async () => {
      const [[cpu], [wasm]] = await cpuAndWasm(() => tf.matMul(rand(sa, 10 + i), rand(sb, 20 + i), ta, tb));
      expectClose(wasm, cpu);
    });
  }

  it('a dense product\'s gradients (x^T dy and dy W^T)', async () => {
    const f = () => {
      const x = rand([17, 6], 1);
      const w = rand([6, 5], 2);
      const r = rand([17, 5], 3);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), r)))([x, w]);
    };
    const [cpu, wasm] = await cpuAndWasm(f);
    expectClose(wasm[0], cpu[0]);
    expectClose(wasm[1], cpu[1]);
  });
});
