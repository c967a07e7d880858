import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { deformConv2d } from '../../../src/core/deform';
import { setDeformKernel } from '../../../src/core/deform/deform-conv2d';
import { useFastestNodeBackend } from '../../../src/backends/node-backend';
import { rand } from '../../nn/coordinate-grad-check';
import { expectClose } from '../helpers';

// Reference: the cpu backend's values (checked against torchvision's semantics and numerical
// gradients in deform-conv2d.test.ts). On wasm, the course's training backend, the forward value and
// every gradient (input, offset, mask, filter, bias) must agree with them, with either sampling kernel.

type Case = { value: number[]; grads: number[][] };

function run(): Case {
  return tf.tidy(() => {
    const x = rand([2, 6, 5, 4], 31);
    const off = tf.mul(rand([2, 3, 3, 2 * 2 * 9], 32), 1.7);
    const mask = tf.sigmoid(rand([2, 3, 3, 2 * 9], 33));
    const w = rand([3, 3, 2, 6], 34);
    const b = rand([6], 35);
    const f = (xa: tf.Tensor, oa: tf.Tensor, ma: tf.Tensor, wa: tf.Tensor, ba: tf.Tensor) =>
      deformConv2d(xa as tf.Tensor4D, oa as tf.Tensor4D, wa as tf.Tensor4D, {
        mask: ma as tf.Tensor4D,
        bias: ba as tf.Tensor1D,
        stride: 2,
        padding: 1,
        groups: 2,
        offsetGroups: 2,
      });
    const weights = rand([2, 3, 3, 6], 36);
    const value = f(x, off, mask, w, b);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(a[0], a[1], a[2], a[3], a[4]), weights)))([x, off, mask, w, b]);
    return { value: Array.from(value.dataSync()), grads: grads.map((g) => Array.from(g.dataSync())) };
  });
}

describe('deformConv2d on wasm agrees with the cpu backend', () => {
  afterAll(async () => {
    setDeformKernel('auto');
    await tf.setBackend('cpu');
  });

  it('forward and gradients in input, offset, mask, filter and bias, with both kernels', async () => {
    await tf.setBackend('cpu');
    setDeformKernel('loops');
    const ref = run();
    expect(await useFastestNodeBackend()).toBe('wasm');
    for (const kernel of ['loops', 'tensors'] as const) {
      setDeformKernel(kernel);
      const before = tf.memory().numTensors;
      const got = run();
      expect(tf.memory().numTensors).toBe(before);
      expectClose(got.value, ref.value, 1e-4);
      got.grads.forEach((g, i) => expectClose(g, ref.grads[i], 1e-4));
    }
  });
});
