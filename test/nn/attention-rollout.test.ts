import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attentionRollout } from '../../src/nn';

// Reference: Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers", sec. 3 (rollout with 0.5 A + 0.5 I).
describe('attentionRollout', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('matches a hand-worked 2-token, 2-layer, 2-head case', () => {
    // Layer 1 heads [[1,0],[1,0]] and [[0,1],[1,0]]: mean [[0.5,0.5],[1,0]]; with the residual
    // 0.5 A + 0.5 I = [[0.75,0.25],[0.5,0.5]] (rows already sum to 1).
    // Layer 2 both heads [[0,1],[0,1]]: 0.5 A + 0.5 I = [[0.5,0.5],[0,1]].
    // Rollout = A2 A1 = [[0.5*0.75 + 0.5*0.5, 0.5*0.25 + 0.5*0.5], [0.5, 0.5]] = [[0.625, 0.375], [0.5, 0.5]].
    const l1 = tf.tensor([[[[1, 0], [1, 0]], [[0, 1], [1, 0]]]]);
    const l2 = tf.tensor([[[[0, 1], [0, 1]], [[0, 1], [0, 1]]]]);
    const r = attentionRollout([l1, l2]);
    const got = r.arraySync()[0];
    [[0.625, 0.375], [0.5, 0.5]].forEach((row, i) => row.forEach((v, j) => expect(got[i][j]).toBeCloseTo(v, 6)));
    tf.dispose([l1, l2, r]);
  });

  it('names the argument on bad input', () => {
    const a = tf.zeros([1, 2, 3, 3]);
    const b = tf.zeros([1, 2, 4, 4]);
    expect(() => attentionRollout([])).toThrow(/'weights' must be a non-empty list/);
    expect(() => attentionRollout([a, b])).toThrow(/'weights\[1\]' must be shape \[N, heads, T, T\]/);
    tf.dispose([a, b]);
  });
});
