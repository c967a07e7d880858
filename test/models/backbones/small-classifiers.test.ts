import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mlpClassifier, smallCnnClassifier } from '../../../src/models/backbones/small-classifiers';

describe('small classifiers', () => {
  it('have the hand-counted parameter numbers', () => {
    const mlp = mlpClassifier({ hidden: [128] });
    // 784*128 + 128 + 128*10 + 10 = 101,770
    expect(mlp.countParams()).toBe(101770);
    const cnn = smallCnnClassifier();
    // conv 1->16: 9*16+16 = 160; 16->32: 9*16*32+32 = 4,640; 32->32: 9*32*32+32 = 9,248; dense 32*10+10 = 330
    expect(cnn.countParams()).toBe(160 + 4640 + 9248 + 330);
    mlp.dispose();
    cnn.dispose();
  });

  it('are seeded: same seed, same weights; other seed, other weights', () => {
    const w = (seed: number) => {
      const m = smallCnnClassifier({ seed });
      const out = Array.from(m.getWeights()[0].dataSync());
      m.dispose();
      return out;
    };
    expect(w(1)).toEqual(w(1));
    expect(w(1)).not.toEqual(w(2));
  });

  it('output class probabilities and leak nothing', () => {
    const base = tf.memory().numTensors;
    const cnn = smallCnnClassifier({ seed: 1 });
    const withModel = tf.memory().numTensors;
    const y = tf.tidy(() => cnn.predict(tf.ones([3, 28, 28, 1])) as tf.Tensor);
    expect(y.shape).toEqual([3, 10]);
    // softmax rows sum to 1
    const s = tf.tidy(() => tf.sum(y, 1));
    for (const v of s.dataSync()) expect(v).toBeCloseTo(1, 5);
    tf.dispose([y, s]);
    expect(tf.memory().numTensors).toBe(withModel);
    cnn.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
