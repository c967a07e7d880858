import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { squeezeExcite } from '../../src/nn/squeeze-excite';
import { blockModel, checkGradients } from './grad-check';

describe('squeezeExcite', () => {
  it('rescales each channel by a gate in (0, 1) computed from the pooled map', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([4, 4, 6], (x) => squeezeExcite(x, { squeezeChannels: 2, name: 'se', seed: 1 }));
    expect(m.outputs[0].shape).toEqual([null, 4, 4, 6]);
    // reduce 6->2 (+2 bias), expand 2->6 (+6 bias): torchvision's two 1x1 convs with bias
    expect(m.countParams()).toBe(6 * 2 + 2 + 2 * 6 + 6);
    tf.tidy(() => {
      const x = tf.randomUniform([1, 4, 4, 6], 0.5, 1.5, 'float32', 2);
      const y = m.predict(x) as tf.Tensor;
      // y / x is the same gate at every pixel of a channel, strictly between 0 and 1
      const ratio = tf.div(y, x).reshape([16, 6]);
      const gate = Array.from(ratio.slice([0, 0], [1, 6]).dataSync());
      for (const g of gate) expect(g > 0 && g < 1).toBe(true);
      expect(tf.max(tf.abs(tf.sub(ratio, ratio.slice([0, 0], [1, 6])))).dataSync()[0]).toBeLessThan(1e-6);
      // and that gate is sigmoid(W2 act(W1 mean(x) + b1) + b2), recomputed by hand
      const [w1, b1, w2, b2] = m.getWeights();
      const pooled = tf.mean(x, [1, 2]);
      const expected = tf.sigmoid(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(pooled, w1), b1)), w2), b2));
      expect(Array.from(expected.dataSync()).map((v, i) => Math.abs(v - gate[i])).every((d) => d < 1e-5)).toBe(true);
    });
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('passes a numerical gradient check (silu inside, as EfficientNet)', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([3, 3, 4], (x) => squeezeExcite(x, { squeezeChannels: 2, activation: 'silu', name: 'g', seed: 1 }));
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 3);
    checkGradients(m, x);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
