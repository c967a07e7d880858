import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LayerScale, MultiHeadAttention, StochasticDepth, profile, transformerEncoderBlock } from '../../src/nn';
import { checkGradients, rand, randVar, weightedSum } from './coordinate-grad-check';

// Reference: torchvision.models.vision_transformer.EncoderBlock (pre-norm: x + attn(LN(x)), then + MLP(LN(x))).
describe('transformerEncoderBlock', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('keeps the sequence shape and has torchvision EncoderBlock\'s parameter count', () => {
    const x = tf.input({ shape: [5, 8] });
    const { output, attention } = transformerEncoderBlock(x, { numHeads: 2, mlpRatio: 4, name: 'b' });
    const m = tf.model({ inputs: x, outputs: [output, attention] });
    expect(output.shape).toEqual([null, 5, 8]);
    expect(attention.shape).toEqual([null, 2, 5, 5]);
    // D = 8, mlp 32: ln_1 16 + attention 4*64 + 4*8 = 288 + ln_2 16 + mlp (8*32 + 32) + (32*8 + 8) = 552 -> 872.
    expect(m.countParams()).toBe(872);
    // MACs at T = 5: attention 4*5*8*8 + 2*5*5*8 = 1,680; mlp 5*8*32*2 = 2,560 -> 4,240.
    expect(profile(m, [5, 8]).macs).toBe(4_240);
    m.dispose();
  });

  it('is pre-norm: with both branches zeroed it is the identity', () => {
    const x = tf.input({ shape: [4, 6] });
    const { output } = transformerEncoderBlock(x, { numHeads: 3, mlpRatio: 2, name: 'id' });
    const m = tf.model({ inputs: x, outputs: output });
    // Zero the attention's output projection and the MLP's last layer: both branches add 0.
    for (const l of m.layers) {
      // MultiHeadAttention weights: [wq, wk, wv, wo, bq, bk, bv, bo]; zero wo and bo (indices 3, 7).
      const zeroed = l instanceof MultiHeadAttention ? [3, 7] : l.name === 'id_mlp_2' ? [0, 1] : [];
      if (!zeroed.length) continue;
      const ws = l.getWeights().map((w, i) => (zeroed.includes(i) ? tf.zerosLike(w) : w.clone()));
      l.setWeights(ws);
      tf.dispose(ws);
    }
    const input = rand([2, 4, 6], 1);
    const y = m.predict(input) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(input.dataSync()));
    tf.dispose([input, y]);
    m.dispose();
  });

  it('has the right gradients through both branches (numerical check)', () => {
    const x = tf.input({ shape: [3, 4] });
    const { output } = transformerEncoderBlock(x, { numHeads: 2, mlpRatio: 2, layerScale: 0.5, seed: 4, name: 'g' });
    const m = tf.model({ inputs: x, outputs: output });
    const xv = randVar([2, 3, 4], 2, 'x');
    const vars = [xv, ...m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)];
    checkGradients(() => weightedSum(m.apply(xv) as tf.Tensor), vars, 6);
    xv.dispose();
    m.dispose();
  });

  it('adds LayerScale and stochastic depth on each branch when asked', () => {
    const x = tf.input({ shape: [3, 4] });
    const { output } = transformerEncoderBlock(x, { numHeads: 1, layerScale: 1e-5, stochasticDepth: 0.1, dropout: 0.1, attentionDropout: 0.1, name: 's' });
    const m = tf.model({ inputs: x, outputs: output });
    expect(m.layers.filter((l) => l instanceof LayerScale).length).toBe(2);
    expect(m.layers.filter((l) => l instanceof StochasticDepth).length).toBe(2);
    m.dispose();
  });

  it('names the argument on bad input', () => {
    const x = tf.input({ shape: [3, 6] });
    expect(() => transformerEncoderBlock(x, { numHeads: 4, name: 'e' })).toThrow(/'numHeads' must be a divisor of the model dim 6 \(allowed: 1, 2, 3, 6\), got 4/);
    expect(() => transformerEncoderBlock(x, { numHeads: 2, name: '' })).toThrow(/'name' must be a non-empty string/);
    expect(() => transformerEncoderBlock(x, { numHeads: 2, stochasticDepth: 1.5, name: 'e' })).toThrow(/'stochasticDepth' must be a probability in \[0, 1\)/);
  });
});
