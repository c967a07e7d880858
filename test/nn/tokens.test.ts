import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClassToken, LayerScale, PositionEmbedding, StochasticDepth, TakeToken, TokenGrid, sinusoidalPositionEmbedding } from '../../src/nn';
import { checkGradients, rand, randVar, weightedSum } from './coordinate-grad-check';

const valOf = (l: tf.layers.Layer) => l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);

describe('token layers: class token, position embeddings, take token, layer scale, stochastic depth', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('ClassToken puts one learned vector (zeros at first, as torchvision) in front of every sequence', () => {
    const layer = new ClassToken();
    const x = rand([2, 3, 4], 1);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 4, 4]);
    expect(layer.computeOutputShape([null, 3, 4])).toEqual([null, 4, 4]);
    const first = tf.tidy(() => tf.slice(y, [0, 0, 0], [-1, 1, -1]).dataSync());
    expect(Array.from(first)).toEqual(new Array(8).fill(0));
    const rest = tf.tidy(() => tf.slice(y, [0, 1, 0], [-1, -1, -1]).dataSync());
    expect(Array.from(rest)).toEqual(Array.from(x.dataSync()));
    // Gradient: the token's gradient sums over the batch.
    const xv = randVar([2, 3, 4], 2, 'x');
    checkGradients(() => weightedSum(layer.apply(xv) as tf.Tensor), [xv, ...valOf(layer)]);
    tf.dispose([x, y, xv]);
    layer.dispose();
  });

  it('PositionEmbedding (learned) adds a trained [1, T, D] table with std 0.02 at the start', () => {
    const layer = new PositionEmbedding({ seed: 3 });
    const x = rand([1, 50, 16], 3);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 50, 16]);
    expect(layer.trainableWeights.length).toBe(1);
    const table = layer.embeddings();
    expect(table.shape).toEqual([50, 16]);
    const std = tf.tidy(() => tf.sqrt(tf.moments(table).variance).dataSync()[0]);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
    const xv = randVar([2, 5, 3], 4, 'x');
    const small = new PositionEmbedding({ seed: 5 });
    checkGradients(() => weightedSum(small.apply(xv) as tf.Tensor), [xv, ...valOf(small)]);
    tf.dispose([x, y, table, xv]);
    layer.dispose();
    small.dispose();
  });

  it('the sinusoidal code: sin/cos of pos / 10000^(2i/d), fixed (not trained)', () => {
    // d = 4, pos = 1: columns sin(1), cos(1), sin(1/10000^(2/4)) = sin(0.01), cos(0.01).
    const pe = sinusoidalPositionEmbedding(3, 4);
    const row1 = Array.from(pe.dataSync().slice(4, 8));
    [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)].forEach((v, i) => expect(row1[i]).toBeCloseTo(v, 6));
    // pos = 0: sin 0 = 0, cos 0 = 1.
    expect(Array.from(pe.dataSync().slice(0, 4))).toEqual([0, 1, 0, 1]);
    const layer = new PositionEmbedding({ init: 'sinusoidal' });
    const x = tf.zeros([1, 3, 4]);
    const y = layer.apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(pe.dataSync()));
    expect(layer.trainableWeights.length).toBe(0);
    expect(() => new PositionEmbedding({ init: 'rotary' as 'learned' })).toThrow(/'init' must be one of 'learned', 'sinusoidal', got 'rotary'/);
    tf.dispose([pe, x, y]);
    layer.dispose();
  });

  it('TakeToken reads token 0 ([N, T, D] -> [N, D]) and passes the gradient to that token only', () => {
    const layer = new TakeToken({ index: 0 });
    const x = rand([2, 3, 4], 6);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 4]);
    const firstTokens = tf.tidy(() => tf.slice(x, [0, 0, 0], [-1, 1, -1]).reshape([2, 4]).dataSync());
    expect(Array.from(y.dataSync())).toEqual(Array.from(firstTokens));
    const xv = randVar([2, 3, 4], 7, 'x');
    checkGradients(() => weightedSum(layer.apply(xv) as tf.Tensor), [xv]);
    expect(() => new TakeToken({ index: 5 }).computeOutputShape([null, 3, 4])).toThrow(/'index' must be below the sequence length 3/);
    tf.dispose([x, y, xv]);
  });

  it('TokenGrid drops the class token and lays the patch tokens on their grid ([N, 1 + H*W, D] -> [N, H, W, D], row-major as the patch embedding wrote them)', () => {
    const layer = new TokenGrid({ gridHeight: 2, gridWidth: 3, skip: 1 });
    // One sequence of 1 + 6 tokens, D = 2, token t = [10t, 10t + 1]: the class token is t = 0.
    const x = tf.tensor3d([Array.from({ length: 7 }, (_, t) => [10 * t, 10 * t + 1])]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2, 3, 2]);
    // Patch token t (1..6) sits at row floor((t-1)/3), column (t-1) % 3: the top-left cell is token 1, the bottom-right token 6.
    expect(y.arraySync()).toEqual([[[[10, 11], [20, 21], [30, 31]], [[40, 41], [50, 51], [60, 61]]]]);
    const xv = randVar([2, 7, 3], 12, 'x');
    checkGradients(() => weightedSum(layer.apply(xv) as tf.Tensor), [xv]);
    expect(() => layer.computeOutputShape([null, 9, 2])).toThrow(/TokenGrid: 'input' must be 7 tokens \(1 skipped \+ 2x3 patches\)/);
    expect(() => new TokenGrid({ gridHeight: 0, gridWidth: 3 })).toThrow(/'gridHeight' must be a whole number >= 1/);
    tf.dispose([x, y, xv]);
  });

  it('LayerScale multiplies each channel by a learned factor starting at initValue', () => {
    const layer = new LayerScale({ initValue: 0.1 });
    const x = rand([2, 3, 4], 8);
    const y = layer.apply(x) as tf.Tensor;
    Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(0.1 * x.dataSync()[i], 6));
    const xv = randVar([2, 3, 4], 9, 'x');
    checkGradients(() => weightedSum(layer.apply(xv) as tf.Tensor), [xv, ...valOf(layer)]);
    expect(() => new LayerScale({ initValue: 0 })).toThrow(/'initValue' must be a number > 0/);
    tf.dispose([x, y, xv]);
    layer.dispose();
  });

  it('StochasticDepth: identity at inference; while training each sample is dropped or scaled by 1/(1-p)', () => {
    const layer = new StochasticDepth({ rate: 0.5 });
    const x = tf.ones([400, 2, 3]);
    const inference = layer.apply(x) as tf.Tensor;
    expect(Array.from(inference.dataSync())).toEqual(Array.from(x.dataSync()));
    const trained = layer.apply(x, { training: true }) as tf.Tensor;
    const values = trained.dataSync();
    // Every sample is all 0 or all 1/(1-0.5) = 2; about half survive (400 draws: 5 sigma = 50).
    let kept = 0;
    for (let s = 0; s < 400; s++) {
      const sample = Array.from(values.slice(s * 6, s * 6 + 6));
      expect(new Set(sample).size).toBe(1);
      expect([0, 2]).toContain(sample[0]);
      if (sample[0] === 2) kept++;
    }
    expect(Math.abs(kept - 200)).toBeLessThan(50);
    expect(() => new StochasticDepth({ rate: 1 })).toThrow(/'rate' must be a probability in \[0, 1\)/);
    tf.dispose([x, inference, trained]);
  });
});
