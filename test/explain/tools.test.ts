import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backwardSteps, checkAgainstTfGrad, classVisualisation, embed2d, filterWeights, forwardSteps, layerActivations,
  maxActivatingPatches, nearestNeighbours, receptiveField, thresholdMasks, tsne,
} from '../../src/explain';
import { digit, lesson1Cnn, testDigits } from './helpers';

describe('looking-inside tools on the shipped Lesson 1 CNN', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('layer activations, thresholded masks, filters and the measured receptive field', async () => {
    const model = await lesson1Cnn();
    const { xs } = await testDigits(1);
    before = tf.memory().numTensors;
    const x = digit(xs, 0);
    const a = layerActivations(model, x, 'conv2d_Conv2D3');
    expect(a.shape).toEqual([7, 7, 32]);
    // Network Dissection's masks: the top 10% of 49 cells, round(4.9) = 5, per channel (ties aside).
    const masks = thresholdMasks(a, 0.9);
    const perChannel = tf.tidy(() => tf.sum(masks, [0, 1]).dataSync());
    const alive = tf.tidy(() => tf.max(a, [0, 1]).dataSync());
    perChannel.forEach((n, k) => (alive[k] > 0 ? expect(n).toBeGreaterThanOrEqual(5) : expect(n).toBe(49)));
    const f = filterWeights(model, 'conv2d_Conv2D1');
    expect(f.shape).toEqual([16, 3, 3, 1]);
    expect(tf.tidy(() => [tf.min(f).dataSync()[0], tf.max(f).dataSync()[0]])).toEqual([expect.closeTo(0, 5), expect.closeTo(1, 5)]);
    expect(() => filterWeights(model, 'dense_Dense3')).toThrow(/'layer' must be a convolution: one of conv2d_Conv2D1, conv2d_Conv2D2, conv2d_Conv2D3/);
    expect(() => layerActivations(model, x, 'conv4')).toThrow(/one of the model's layers: conv2d_Conv2D1, max_pooling2d_MaxPooling2D1/);
    // 3x3 conv, 2x2 pool, 3x3 conv, 2x2 pool, 3x3 conv: 3 -> 4 -> 4 + 2*2 = 8 -> 10 -> 10 + 2*4 = 18 px, stride 4.
    expect(receptiveField(model, 'conv2d_Conv2D3')).toEqual({ size: [18, 18], stride: [4, 4] });
    expect(receptiveField(model, 'conv2d_Conv2D1')).toEqual({ size: [3, 3], stride: [1, 1] });
    tf.dispose([x, a, masks, f]);
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('maximally activating patches over 64 digits, best first, inside the image', async () => {
    const model = await lesson1Cnn();
    const { xs } = await testDigits(64);
    before = tf.memory().numTensors;
    const patches = await maxActivatingPatches(model, xs, 'conv2d_Conv2D2', 3, 6);
    expect(patches).toHaveLength(6);
    for (let i = 1; i < 6; i++) expect(patches[i].activation).toBeLessThanOrEqual(patches[i - 1].activation);
    // the reported activation is the channel's value at that image and location
    const p = patches[0];
    const check = tf.tidy(() => layerActivations(model, digit(xs, p.image), 'conv2d_Conv2D2').slice([p.row, p.col, 3], [1, 1, 1]).dataSync()[0]);
    expect(check).toBeCloseTo(p.activation, 5);
    for (const { box: [y1, x1, y2, x2] } of patches) {
      expect(y1).toBeGreaterThanOrEqual(0);
      expect(x2).toBeLessThanOrEqual(28);
      expect(y2 - y1).toBeGreaterThan(0);
      expect(x2 - x1).toBeLessThanOrEqual(8);
    }
    await expect(maxActivatingPatches(model, xs, 'conv2d_Conv2D2', 32)).rejects.toThrow(/'channel' must be an integer from 0 to 31/);
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('nearest neighbours, UMAP and t-SNE group digits of a class', async () => {
    const model = await lesson1Cnn();
    const { xs, labels } = await testDigits(60);
    before = tf.memory().numTensors;
    // features: the GAP output (the 32 numbers the classifier reads)
    const all = tf.tidy(() => {
      const rows: tf.Tensor[] = [];
      for (let i = 0; i < 60; i++) rows.push(tf.mean(layerActivations(model, digit(xs, i), 'conv2d_Conv2D3'), [0, 1]));
      return tf.stack(rows) as tf.Tensor2D;
    });
    const nn = nearestNeighbours(all, 0, 5);
    expect(nn).toHaveLength(5);
    expect(nn.every((r) => r.index !== 0)).toBe(true);
    // a trained CNN's features: over all 60 queries, most of the 5 nearest digits share the query's
    // class (chance: about 10%)
    let same = 0;
    for (let q = 0; q < 60; q++) same += nearestNeighbours(all, q, 5).filter((r) => labels[r.index] === labels[q]).length;
    console.log(`5-NN same-class fraction: ${(same / 300).toFixed(3)}`);
    expect(same / 300).toBeGreaterThan(0.6);
    const points = (await all.array()) as number[][];
    all.dispose();
    for (const method of ['umap', 'tsne'] as const) {
      const y = embed2d(points, { method, seed: 1, iterations: method === 'tsne' ? 300 : 200 });
      expect(y).toHaveLength(60);
      // 1-nearest-neighbour accuracy in the 2-D map, leave-one-out: far above chance (10%).
      let hits = 0;
      y.forEach((p, i) => {
        let best = -1, bd = Infinity;
        y.forEach((q, j) => {
          const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
          if (j !== i && d < bd) { bd = d; best = j; }
        });
        if (labels[best] === labels[i]) hits++;
      });
      expect(hits / 60, method).toBeGreaterThan(0.5);
    }
    expect(embed2d(points.slice(0, 20), { method: 'tsne', seed: 3, iterations: 50 })).toEqual(embed2d(points.slice(0, 20), { method: 'tsne', seed: 3, iterations: 50 }));
    expect(() => tsne(points.slice(0, 3))).toThrow(/'points' must be at least 4 points/);
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('class visualisation by gradient ascent raises the class logit from a blank image', async () => {
    const model = await lesson1Cnn();
    before = tf.memory().numTensors;
    const logits: number[] = [];
    const img = await classVisualisation(model, 3, { steps: 20, onStep: (_, v) => void logits.push(v) });
    expect(img.shape).toEqual([1, 28, 28, 1]);
    expect(logits).toHaveLength(20);
    expect(logits[19]).toBeGreaterThan(logits[0] + 1);
    expect(tf.tidy(() => [tf.min(img).dataSync()[0] >= 0, tf.max(img).dataSync()[0] <= 1])).toEqual([true, true]);
    img.dispose();
    await expect(classVisualisation(model, 10)).rejects.toThrow(/'target' must be a class index, an integer from 0 to 9/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });
});

describe('autograd on three nodes', () => {
  it('the hand-run forward and backward passes agree with tf.grads', () => {
    // x = 2, w = -0.5, b = 0.5: u = -1, v = -0.5, y = sigmoid(-0.5) = 0.37754;
    // dy/dv = y (1 - y) = 0.23500; dy/du = dy/db = 0.23500; dy/dw = 0.235 * 2 = 0.47001; dy/dx = 0.235 * -0.5 = -0.11750.
    const before = tf.memory().numTensors;
    const inputs = { x: 2, w: -0.5, b: 0.5 };
    const f = forwardSteps(inputs);
    expect(f.steps.map((s) => s.value)).toEqual([-1, -0.5, expect.closeTo(0.37754, 5)]);
    const { grads, steps } = backwardSteps(inputs);
    expect(steps.map((s) => s.node)).toEqual(['y', 'v', 'u', 'b', 'w', 'x']);
    expect(grads.w).toBeCloseTo(0.47001, 5);
    expect(grads.x).toBeCloseTo(-0.1175, 5);
    const ref = checkAgainstTfGrad(inputs);
    for (const k of ['x', 'w', 'b'] as const) expect(grads[k]).toBeCloseTo(ref[k], 6);
    expect(tf.memory().numTensors).toBe(before);
  });
});
