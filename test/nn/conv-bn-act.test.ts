import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convBnAct } from '../../src/nn/conv-bn-act';
import { blockModel, checkGradients } from './grad-check';

describe('convBnAct', () => {
  it('gives torch output sizes for explicit padding (AlexNet conv1 arithmetic) and TF sizes for same', () => {
    const base = tf.memory().numTensors;
    // torch: floor((31 + 2*2 - 11) / 4) + 1 = 7; TF 'same' would give ceil(31/4) = 8.
    const m = blockModel([31, 31, 3], (x) => convBnAct(x, { filters: 8, kernelSize: 11, strides: 4, padding: 2, name: 'c' }));
    expect(m.outputs[0].shape).toEqual([null, 7, 7, 8]);
    // conv 11*11*3*8 (no bias), BN gamma+beta 2*8 trainable, moving mean/var 2*8 not.
    expect(m.countParams()).toBe(11 * 11 * 3 * 8 + 4 * 8);
    expect(m.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0)).toBe(11 * 11 * 3 * 8 + 2 * 8);
    const same = blockModel([31, 31, 3], (x) => convBnAct(x, { filters: 8, kernelSize: 3, strides: 2, name: 's' }));
    expect(same.outputs[0].shape).toEqual([null, 16, 16, 8]);
    const y = tf.tidy(() => m.predict(tf.ones([2, 31, 31, 3])) as tf.Tensor);
    expect(y.shape).toEqual([2, 7, 7, 8]);
    y.dispose();
    m.dispose();
    same.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('does depthwise convolution with groups = input channels, and refuses other groups by name', () => {
    const m = blockModel([8, 8, 6], (x) => convBnAct(x, { filters: 12, kernelSize: 3, groups: 6, activation: 'relu6', name: 'dw' }));
    // depthwise 3*3*6*2 (depth multiplier 2), BN 4*12
    expect(m.countParams()).toBe(3 * 3 * 6 * 2 + 4 * 12);
    m.dispose();
    const x = tf.input({ shape: [8, 8, 6] });
    expect(() => convBnAct(x, { filters: 12, kernelSize: 3, groups: 3, name: 'g' })).toThrow(/'groups' must be 1 or the input channel count 6/);
    expect(() => convBnAct(x, { filters: 12, kernelSize: 3, activation: 'softplus' as never, name: 'a' })).toThrow(/'activation' must be one of 'relu', 'relu6', 'silu', 'gelu'/);
    expect(() => convBnAct(x, { filters: 0, kernelSize: 3, name: 'f' })).toThrow(/'filters' must be a whole number >= 1, got 0/);
    expect(() => convBnAct(x, { filters: 4, kernelSize: 3, padding: 'full' as never, name: 'p' })).toThrow(/'padding' must be one of 'same', 'valid'/);
  });

  it('passes a numerical gradient check (training mode, batch statistics)', () => {
    const base = tf.memory().numTensors;
    for (const activation of ['relu', 'silu', 'gelu', null] as const) {
      const m = blockModel([5, 5, 3], (x) => convBnAct(x, { filters: 4, kernelSize: 3, strides: 2, padding: 1, activation, name: `g_${activation}`, seed: 3 }));
      const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 1);
      checkGradients(m, x);
      x.dispose();
      m.dispose();
    }
    expect(tf.memory().numTensors).toBe(base);
  });
});
