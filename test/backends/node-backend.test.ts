import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { withKernelHint } from '../../src/backends/wasm-training';

describe('useFastestNodeBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it("picks 'wasm' in Node and training a conv layer works there", async () => {
    expect(await useFastestNodeBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    // d/dw sum(conv2d(x, w)) for x = ones[1,3,3,1], w 1x1: every pixel adds x = 1, so 9.
    const g = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid').sum())(tf.ones([1, 1, 1, 1])));
    expect(Array.from(await g.data())).toEqual([9]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is safe to call twice', async () => {
    expect(await useFastestNodeBackend()).toBe('wasm');
  });

  it('withKernelHint turns a missing kernel into an explained error', async () => {
    await useFastestNodeBackend();
    const a = tf.ones([2, 2]);
    await expect(withKernelHint(() => tf.einsum('ij,jk->ik', a, a))).rejects.toThrow(/no kernel named 'Einsum'.*Backends that have it/s);
    a.dispose();
  });
});
