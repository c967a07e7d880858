import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, currentBackend, useBackend } from '../src/backend';

describe('useBackend in Node', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('lists the backends that start here, in preference order', async () => {
    expect(await availableBackends()).toEqual(['wasm', 'cpu']);
  });

  it('chooses wasm automatically (the fastest that trains) and says why', async () => {
    expect(await useBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()?.reason).toMatch(/wasm/i);
  });

  it('a named backend is used, with the reader named as the reason', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(currentBackend()).toEqual({ name: 'cpu', reason: 'Chosen by you: CPU.' });
  });

  it('an unknown name is an error naming the choices', async () => {
    await expect(useBackend('tpu' as never)).rejects.toThrow(/'name' must be one of webgpu, webgl, wasm, cpu, got 'tpu'/);
  });

  it('wasm trains a convolution once useBackend has loaded it (the course kernels are registered)', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([2, 6, 6, 3]);
    const init = tf.randomNormal([3, 3, 3, 4]);
    const f = tf.variable(init);
    const grad = tf.grad((w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').sum())(f);
    expect(grad.shape).toEqual([3, 3, 3, 4]);
    tf.dispose([x, init, f, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
