import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { StochasticDepth } from '../../src/nn/stochastic-depth';

describe('StochasticDepth', () => {
  it("drops whole samples with probability rate while training, scales survivors by 1/(1-rate), is the identity at inference (torchvision 'row')", () => {
    const base = tf.memory().numTensors;
    const layer = new StochasticDepth({ rate: 0.25 });
    tf.tidy(() => {
      const x = tf.ones([2000, 2, 2, 3]);
      const infer = layer.apply(x, { training: false }) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(infer, x))).dataSync()[0]).toBe(0);
      const y = (layer.apply(x, { training: true }) as tf.Tensor).reshape([2000, 12]);
      const rows = y.arraySync() as number[][];
      // every sample is all 0 or all 1/(1 - 0.25) = 4/3
      for (const r of rows) expect(r.every((v) => Math.abs(v - r[0]) < 1e-6) && (r[0] === 0 || Math.abs(r[0] - 4 / 3) < 1e-6)).toBe(true);
      const dropped = rows.filter((r) => r[0] === 0).length / rows.length;
      // Binomial(2000, 0.25): sd = sqrt(0.25*0.75/2000) ~ 0.0097; 5 sd either side
      expect(Math.abs(dropped - 0.25)).toBeLessThan(0.05);
    });
    expect(tf.memory().numTensors).toBe(base);
    expect(() => new StochasticDepth({ rate: 1 })).toThrow(/'rate' must be a probability in \[0, 1\), got 1/);
  });

  it('round-trips through the layer registry (saves and loads with tf.io)', () => {
    const cls = tf.serialization.SerializationMap.getMap().classNameMap.StochasticDepth;
    expect(cls).toBeDefined();
    expect(new StochasticDepth({ rate: 0.1, name: 'sd' }).getConfig().rate).toBe(0.1);
  });
});
