import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeDivisible, mbConv } from '../../src/nn/mbconv';
import { blockModel, checkGradients } from './grad-check';

const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);

describe('mbConv', () => {
  it("matches torchvision's EfficientNet-B0 stage-2 first block (16 -> 24, expand 6, 3x3, stride 2)", () => {
    const m = blockModel([112, 112, 16], (x) => mbConv(x, { expandRatio: 6, kernelSize: 3, strides: 2, filters: 24, seRatio: 0.25, name: 'b' }));
    expect(m.outputs[0].shape).toEqual([null, 56, 56, 24]);
    // expand 1x1 16->96 + BN; depthwise 3x3 on 96 + BN; SE 96->4->96 (squeeze = 16/4 = 4, with biases); project 96->24 + BN
    const expected = 16 * 96 + 2 * 96 + 9 * 96 + 2 * 96 + (96 * 4 + 4 + 4 * 96 + 96) + 96 * 24 + 2 * 24;
    expect(trainable(m)).toBe(expected); // 6,004 as torchvision's features[2][0]
    expect(expected).toBe(6004);
    expect(m.layers.some((l) => l.name === 'b_add')).toBe(false); // stride 2: no residual
    m.dispose();
  });

  it('adds the input back (after stochastic depth) only at stride 1 with unchanged channels; expandRatio 1 has no expand conv', () => {
    const m = blockModel([8, 8, 16], (x) => mbConv(x, { expandRatio: 1, kernelSize: 5, strides: 1, filters: 16, seRatio: 0.25, stochasticDepth: 0.2, name: 'b' }));
    const names = m.layers.map((l) => l.name);
    expect(names).toContain('b_add');
    expect(names).toContain('b_drop');
    expect(names.some((n) => n.startsWith('b_expand'))).toBe(false);
    m.dispose();
    expect(makeDivisible(16 * 6)).toBe(96);
    expect(makeDivisible(37)).toBe(40); // rounds to the nearest multiple of 8
    expect(makeDivisible(12)).toBe(16); // 8 would be more than 10% below 12
    const x = tf.input({ shape: [8, 8, 4] });
    expect(() => mbConv(x, { expandRatio: 0, kernelSize: 3, strides: 1, filters: 4, seRatio: 0.25, name: 'e' })).toThrow(/'expandRatio' must be a number > 0, got 0/);
    expect(() => mbConv(x, { expandRatio: 1, kernelSize: 4, strides: 1, filters: 4, seRatio: 0.25, name: 'e' })).toThrow(/'kernelSize' must be an odd whole number/);
    expect(() => mbConv(x, { expandRatio: 1, kernelSize: 3, strides: 1, filters: 4, seRatio: 0.25, stochasticDepth: 1, name: 'e' })).toThrow(/'stochasticDepth' must be a probability in \[0, 1\)/);
  });

  it('passes a numerical gradient check (stochastic depth off: a random mask has no derivative to check)', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([4, 4, 4], (x) => mbConv(x, { expandRatio: 2, kernelSize: 3, strides: 1, filters: 4, seRatio: 0.5, name: 'g', seed: 1 }));
    const x = tf.randomNormal([2, 4, 4, 4], 0, 1, 'float32', 3);
    checkGradients(m, x);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
