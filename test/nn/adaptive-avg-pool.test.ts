import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AdaptiveAvgPool2d } from '../../src/nn/adaptive-avg-pool';
import { blockModel, checkGradients } from './grad-check';

describe('AdaptiveAvgPool2d', () => {
  it("uses torch's overlapping bins when the size does not divide (GoogLeNet aux head: 14 -> 4)", () => {
    const base = tf.memory().numTensors;
    const layer = new AdaptiveAvgPool2d({ outputSize: 4 });
    tf.tidy(() => {
      // x[0, i, j, 0] = i: each output row averages the row indices of its bin.
      const x = tf.tile(tf.range(0, 14).reshape([1, 14, 1, 1]), [1, 1, 14, 1]);
      const y = layer.apply(x) as tf.Tensor;
      expect(y.shape).toEqual([1, 4, 4, 1]);
      // bins floor(i*14/4)..ceil((i+1)*14/4)-1: 0-3, 3-6, 7-10, 10-13; means 1.5, 4.5, 8.5, 11.5
      const col = Array.from(y.slice([0, 0, 0, 0], [1, 4, 1, 1]).dataSync());
      expect(col).toEqual([1.5, 4.5, 8.5, 11.5]);
      // divisible: a plain 2x2 average pool; equal: the identity
      const z = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
      const pooled = new AdaptiveAvgPool2d({ outputSize: 4 }).apply(z) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(pooled, tf.avgPool(z as tf.Tensor4D, 2, 2, 'valid')))).dataSync()[0]).toBeLessThan(1e-6);
      expect(tf.max(tf.abs(tf.sub(new AdaptiveAvgPool2d({ outputSize: 8 }).apply(z) as tf.Tensor, z))).dataSync()[0]).toBe(0);
    });
    expect(tf.memory().numTensors).toBe(base);
  });

  it('passes a numerical gradient check (non-divisible bins)', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([5, 7, 2], (x) => new AdaptiveAvgPool2d({ outputSize: [3, 2] }).apply(x) as tf.SymbolicTensor);
    expect(m.outputs[0].shape).toEqual([null, 3, 2, 2]);
    const x = tf.randomNormal([2, 5, 7, 2], 0, 1, 'float32', 3);
    checkGradients(m, x);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
