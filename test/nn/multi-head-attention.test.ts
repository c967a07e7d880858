import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MultiHeadAttention, profile, scaledDotProductAttention } from '../../src/nn';
import { checkGradients, rand, randVar, weightedSum } from './coordinate-grad-check';

// Reference: torch.nn.MultiheadAttention (in_proj of Q, K, V, heads of D / h, out_proj),
// Vaswani et al. 2017 sec. 3.2.2.
describe('MultiHeadAttention', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('has torch\'s 4D^2 + 4D parameters and the output and weight shapes', () => {
    const x = tf.input({ shape: [5, 8] });
    const [y, w] = new MultiHeadAttention({ numHeads: 2, returnAttention: true, name: 'mha' }).apply(x) as tf.SymbolicTensor[];
    const m = tf.model({ inputs: x, outputs: [y, w] });
    // D = 8: in_proj 3*8*8 + 3*8 = 216, out_proj 8*8 + 8 = 72 -> 288 = 4*64 + 4*8.
    expect(m.countParams()).toBe(288);
    expect(y.shape).toEqual([null, 5, 8]);
    expect(w.shape).toEqual([null, 2, 5, 5]);
    const input = rand([3, 5, 8], 1);
    const [out, weights] = m.predict(input) as tf.Tensor[];
    expect(out.shape).toEqual([3, 5, 8]);
    // Each query's weights are a distribution over the keys.
    const sums = tf.sum(weights, -1);
    expect(Math.max(...Array.from(sums.dataSync(), (s) => Math.abs(s - 1)))).toBeLessThan(1e-5);
    tf.dispose([input, out, weights, sums]);
    m.dispose();
  });

  it('equals per-head scaled dot-product attention on its own projections', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, seed: 3 });
    const x = rand([2, 4, 6], 2);
    const y = layer.apply(x) as tf.Tensor;
    // Rebuild by hand: Q = x Wq + bq etc., split D = 6 into 2 heads of 3, attend per head, concat, out-project.
    // getWeights gives the variables themselves: read the kernels, then set non-zero biases so the test sees them.
    const [wq, wk, wv, wo] = layer.getWeights().slice(0, 4).map((t) => t.clone());
    const biases = [0.1, -0.2, 0.3, 0.05].map((b) => tf.fill([6], b));
    layer.setWeights([wq, wk, wv, wo, ...biases]);
    const y2 = layer.apply(x) as tf.Tensor;
    const expected = tf.tidy(() => {
      const [q, k, v] = [[wq, 0.1], [wk, -0.2], [wv, 0.3]].map(([w, b]) => tf.add(tf.matMul(tf.reshape(x, [8, 6]), w as tf.Tensor), b as number).reshape([2, 4, 6]));
      const heads = [0, 1].map((hIdx) => {
        const sl = (t: tf.Tensor) => tf.slice(t, [0, 0, 3 * hIdx], [-1, -1, 3]);
        return scaledDotProductAttention(sl(q), sl(k), sl(v)).output;
      });
      return tf.add(tf.matMul(tf.reshape(tf.concat(heads, -1), [8, 6]), wo), 0.05).reshape([2, 4, 6]);
    });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(y2, expected))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, y, y2, expected, wq, wk, wv, wo, ...biases]);
    layer.dispose();
  });

  it('a mask input blocks keys; causal blocks later tokens', () => {
    const q = tf.input({ shape: [3, 4] });
    const mk = tf.input({ shape: [3, 3] });
    const [, w] = new MultiHeadAttention({ numHeads: 1, returnAttention: true, seed: 1 }).apply([q, q, mk]) as tf.SymbolicTensor[];
    const m = tf.model({ inputs: [q, mk], outputs: w });
    const mask = tf.tensor([[[1, 1, 0], [1, 1, 0], [0, 0, 1]]]);
    const x = rand([1, 3, 4], 4);
    const weights = tf.tidy(() => (m.predict([x, mask]) as tf.Tensor).reshape([3, 3]).arraySync() as number[][]);
    expect(weights[0][2]).toBeLessThan(1e-6);
    expect(weights[2][0]).toBeLessThan(1e-6);
    expect(weights[2][2]).toBeCloseTo(1, 5);

    const causal = new MultiHeadAttention({ numHeads: 2, causal: true, returnAttention: true, seed: 2 });
    const c = tf.tidy(() => (causal.apply(x) as tf.Tensor[])[1].arraySync() as number[][][][]);
    for (const head of c[0]) {
      expect(head[0][1] + head[0][2] + head[1][2]).toBeLessThan(1e-6);
      expect(head[0][0]).toBeCloseTo(1, 5);
    }
    tf.dispose([mask, x]);
    causal.dispose();
    m.dispose();
  });

  it('has the right gradients with respect to its input and its weights (numerical check)', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, seed: 5 });
    const x = randVar([2, 3, 4], 6, 'x');
    tf.dispose(layer.apply(x) as tf.Tensor);
    const vars = [x, ...layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)];
    checkGradients(() => weightedSum(layer.apply(x) as tf.Tensor, 7), vars);
    x.dispose();
    layer.dispose();
  });

  it('counts its MACs: four projections plus QK^T and AV', () => {
    const x = tf.input({ shape: [10, 16] });
    const y = new MultiHeadAttention({ numHeads: 4, name: 'attn' }).apply(x) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: y });
    // T = 10, D = 16: Q, K, V, out projections 4 * 10 * 16 * 16 = 10,240;
    // QK^T: 4 heads * 10 * 10 * 4 = 1,600 (= T*T*D); AV the same 1,600 -> 13,440.
    expect(profile(m, [10, 16]).macs).toBe(13_440);
    m.dispose();
  });

  it('saves and loads (registered for serialization) with the same outputs', async () => {
    const x = tf.input({ shape: [3, 4] });
    const y = new MultiHeadAttention({ numHeads: 2, seed: 8 }).apply(x) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: y });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const input = rand([1, 3, 4], 9);
    const a = m.predict(input) as tf.Tensor;
    const b = loaded.predict(input) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([input, a, b]);
    m.dispose();
    loaded.dispose();
  });

  it('names numHeads and its allowed values when it does not divide the dim', () => {
    const x = tf.input({ shape: [5, 6] });
    expect(() => new MultiHeadAttention({ numHeads: 4 }).apply(x)).toThrow(/'numHeads' must be a divisor of the model dim 6 .*allowed: 1, 2, 3, 6.*got 4/);
    expect(() => new MultiHeadAttention({ numHeads: 0 })).toThrow(/'numHeads' must be a whole number >= 1, got 0/);
  });
});
