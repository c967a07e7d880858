import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scaledDotProductAttention } from '../../src/nn';
import { checkGradients, randVar, weightedSum } from './coordinate-grad-check';

// Reference: Vaswani et al. 2017, eq. 1, Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V.
describe('scaledDotProductAttention', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('matches the hand-worked 2-token case', () => {
    // Q = K = [[1, 0], [0, 1]] (two tokens, d = 2), V = [[1, 2], [3, 4]].
    // Q K^T = I, scaled by 1/sqrt(2): scores = [[0.70711, 0], [0, 0.70711]].
    // Row 0 softmax: e^0.70711 / (e^0.70711 + e^0) = 2.02811 / 3.02811 = 0.66976, and 0.33024.
    // Row 1 is the mirror: [0.33024, 0.66976].
    // Output row 0 = 0.66976 [1, 2] + 0.33024 [3, 4] = [1.66048, 2.66048];
    // row 1 = 0.33024 [1, 2] + 0.66976 [3, 4] = [2.33952, 3.33952].
    const q = tf.tensor([[1, 0], [0, 1]]);
    const v = tf.tensor([[1, 2], [3, 4]]);
    const { output, weights } = scaledDotProductAttention(q, q, v);
    const w = weights.arraySync() as number[][];
    const o = output.arraySync() as number[][];
    [[0.66976, 0.33024], [0.33024, 0.66976]].forEach((row, i) => row.forEach((x, j) => expect(w[i][j]).toBeCloseTo(x, 4)));
    [[1.66048, 2.66048], [2.33952, 3.33952]].forEach((row, i) => row.forEach((x, j) => expect(o[i][j]).toBeCloseTo(x, 4)));
    tf.dispose([q, v, output, weights]);
  });

  it('the mask blocks keys: token 0 may not see token 1', () => {
    // mask [[1, 0], [1, 1]]: row 0 keeps only key 0, so its weights are [1, 0] and its output is V[0] = [1, 2];
    // row 1 is unmasked and stays [0.33024, 0.66976] as above.
    const q = tf.tensor([[1, 0], [0, 1]]);
    const v = tf.tensor([[1, 2], [3, 4]]);
    const mask = tf.tensor([[1, 0], [1, 1]]);
    const { output, weights } = scaledDotProductAttention(q, q, v, mask);
    const w = weights.arraySync() as number[][];
    expect(w[0][0]).toBeCloseTo(1, 6);
    expect(w[0][1]).toBeCloseTo(0, 6);
    expect(w[1][1]).toBeCloseTo(0.66976, 4);
    const o = output.arraySync() as number[][];
    expect(o[0][0]).toBeCloseTo(1, 5);
    expect(o[0][1]).toBeCloseTo(2, 5);
    // A boolean mask means the same.
    const b = tf.tensor([[true, false], [true, true]], undefined, 'bool');
    const r = scaledDotProductAttention(q, q, v, b);
    expect(r.weights.arraySync()).toEqual(weights.arraySync());
    tf.dispose([q, v, mask, output, weights, b, r.output, r.weights]);
  });

  it('the 1/sqrt(d) scale keeps the softmax from saturating as d grows', () => {
    // Random unit-variance q, k: q.k has variance d, so unscaled scores spread as sqrt(d) and the softmax
    // turns one-hot; scaled, the spread stays ~1 whatever d. Measured as the mean largest weight per row.
    const maxWeight = (d: number, scale?: number) =>
      tf.tidy(() => {
        const q = tf.randomNormal([64, d], 0, 1, 'float32', 1);
        const k = tf.randomNormal([64, d], 0, 1, 'float32', 2);
        const { weights } = scaledDotProductAttention(q, k, k, null, scale === undefined ? {} : { scale });
        return tf.mean(tf.max(weights, -1)).dataSync()[0];
      });
    expect(maxWeight(256, 1)).toBeGreaterThan(0.9);
    expect(maxWeight(256)).toBeLessThan(0.5);
    expect(Math.abs(maxWeight(256) - maxWeight(16))).toBeLessThan(0.2);
  });

  it('has the right gradient with respect to Q, K and V (numerical check), batched with heads', () => {
    const q = randVar([2, 3, 4, 5], 1, 'q');
    const k = randVar([2, 3, 6, 5], 2, 'k');
    const v = randVar([2, 3, 6, 2], 3, 'v');
    const mask = tf.tensor([1, 1, 0, 1, 1, 0], [1, 1, 1, 6]);
    checkGradients(() => tf.tidy(() => {
      const r = scaledDotProductAttention(q, k, v, mask);
      return tf.add(weightedSum(r.output, 5), weightedSum(r.weights, 6));
    }), [q, k, v]);
    tf.dispose([q, k, v, mask]);
  });

  it('names the argument on bad input', () => {
    const a = tf.zeros([2, 4]);
    const b = tf.zeros([2, 3]);
    expect(() => scaledDotProductAttention(a, b, b)).toThrow(/'k' must be a last dimension equal to q's \(4\)/);
    expect(() => tf.tidy(() => scaledDotProductAttention(a, a, tf.zeros([3, 4])).output)).toThrow(/'v' must be as many tokens as k/);
    expect(() => scaledDotProductAttention(a, a, a, b)).toThrow(/'mask' must be broadcastable to \[\.\.\., 2, 2\]/);
    expect(() => scaledDotProductAttention(a, a, a, null, { dropout: 1 })).toThrow(/'opts.dropout' must be a probability in \[0, 1\)/);
    tf.dispose([a, b]);
  });
});
