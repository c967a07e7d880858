import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PatchEmbedding, profile } from '../../src/nn';
import { checkGradients, rand, randVar, weightedSum } from './coordinate-grad-check';

// Reference: torchvision VisionTransformer.conv_proj + _process_input (conv k = s = patch, then
// [N, D, h, w] -> [N, h*w, D], patches in row-major order).
describe('PatchEmbedding', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('cuts a 4x6 image into 2x2 patches read row by row, each a linear map of its pixels', () => {
    const layer = new PatchEmbedding({ patchSize: 2, dim: 3, seed: 1 });
    const x = rand([1, 4, 6, 2], 1);
    const y = layer.apply(x) as tf.Tensor;
    // (4/2) x (6/2) = 6 tokens of dim 3.
    expect(y.shape).toEqual([1, 6, 3]);
    // Token 4 is grid cell (row 1, col 1): pixels rows 2-3, cols 2-3, flattened in kernel order [p, p, C].
    const [kernel, bias] = layer.getWeights();
    const expected = tf.tidy(() => {
      const patch = tf.slice(x, [0, 2, 2, 0], [1, 2, 2, 2]).reshape([1, 8]);
      return tf.add(tf.matMul(patch, tf.reshape(kernel, [8, 3])), bias).reshape([3]);
    });
    const got = tf.tidy(() => tf.slice(y, [0, 4, 0], [1, 1, 3]).reshape([3]));
    Array.from(got.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 5));
    tf.dispose([x, y, expected, got]);
    layer.dispose();
  });

  it('has torchvision conv_proj\'s parameters and counts one p*p*C x D product per patch', () => {
    const x = tf.input({ shape: [28, 28, 1] });
    const y = new PatchEmbedding({ patchSize: 7, dim: 16, name: 'pe' }).apply(x) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: y });
    // weights 7*7*1*16 + 16 = 800; 16 patches x (49 x 16) = 12,544 MACs.
    expect(m.countParams()).toBe(800);
    const p = profile(m, [28, 28, 1]);
    expect(p.macs).toBe(12_544);
    expect(p.layers[0].outputShape).toEqual([1, 16, 16]);
    m.dispose();
  });

  it('has the right gradients (numerical check)', () => {
    const layer = new PatchEmbedding({ patchSize: 2, dim: 3, seed: 2 });
    const x = randVar([2, 4, 4, 2], 3, 'x');
    tf.dispose(layer.apply(x) as tf.Tensor);
    const vars = [x, ...layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)];
    checkGradients(() => weightedSum(layer.apply(x) as tf.Tensor), vars);
    x.dispose();
    layer.dispose();
  });

  it('names patchSize and the sizes that divide the image', () => {
    const x = tf.input({ shape: [28, 28, 1] });
    expect(() => new PatchEmbedding({ patchSize: 5, dim: 8 }).apply(x)).toThrow(/'patchSize' must be a divisor of the image size 28x28 \(allowed: 1, 2, 4, 7, 14, 28\), got 5/);
    expect(() => new PatchEmbedding({ patchSize: 0, dim: 8 })).toThrow(/'patchSize' must be a whole number >= 1/);
  });
});
