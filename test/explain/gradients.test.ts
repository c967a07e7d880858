import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guidedBackprop, guidedGradient, guidedRelu, occlusion, saliency } from '../../src/explain';

// References: Simonyan et al. 2014 sec. 3.1 (saliency = |dS_c/dI|, max over channels);
// Springenberg et al. 2015 sec. 3.4 (guided backprop's rectified backward pass);
// Zeiler & Fergus 2014 sec. 4.2 (occlusion).

/** conv 3x3 (relu, 4 filters) -> GAP -> dense(3), linear output, seeded. */
function smallNet(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }), name: 'conv' }));
  m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  m.add(tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }), name: 'fc' }));
  return m;
}

describe('gradient maps', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('saliency equals |tf.grad| of the class score, the largest over channels', async () => {
    const model = smallNet();
    before = tf.memory().numTensors;
    const x = tf.randomUniform([1, 8, 8, 2], 0, 1, 'float32', 9) as tf.Tensor4D;
    for (const target of [0, 2]) {
      const s = await saliency({ model, input: x, target });
      const ref = tf.tidy(() => tf.max(tf.abs(tf.grad((v: tf.Tensor) => tf.sum(tf.slice(model.apply(v) as tf.Tensor, [0, target], [1, 1])))(x)), 3).reshape([8, 8]));
      expect(s.shape).toEqual([8, 8]);
      const a = s.dataSync();
      const b = ref.dataSync();
      expect(Math.max(...b)).toBeGreaterThan(0);
      b.forEach((v, k) => expect(a[k]).toBeCloseTo(v, 6));
      tf.dispose([s, ref]);
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });

  it("guidedRelu's custom gradient zeroes negative gradients and negative inputs", () => {
    const x = tf.tensor1d([-1, 2, 3, -4, 5]);
    const dy = tf.tensor1d([1, -1, 2, 3, 0.5]);
    const y = guidedRelu(x);
    expect(Array.from(y.dataSync())).toEqual([0, 2, 3, 0, 5]);
    // d/dx sum(guidedRelu(x) * dy) passes dy only where x > 0 and dy > 0:
    // x = -1 (input negative) -> 0; dy = -1 (gradient negative) -> 0; 2 -> 2; x = -4 -> 0; 0.5 -> 0.5.
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(guidedRelu(v), dy)))(x);
    // (+ 0 turns the -0 of 0 · -1 into 0)
    expect(Array.from(g.dataSync(), (v) => v + 0)).toEqual([0, 0, 2, 0, 0.5]);
    tf.dispose([x, dy, y, g]);
  });

  it('guided backprop through a fused conv ReLU equals the plain gradient with the negative head weights removed', async () => {
    // y = v . GAP(relu(conv(x))): the gradient reaching the ReLU is v_k / hw, so the guided rule
    // drops the channels whose v_k < 0 — the same as the plain gradient of the net with those v_k set to 0.
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }), name: 'conv' }));
    model.add(tf.layers.globalAveragePooling2d({}));
    model.add(tf.layers.dense({ units: 1, useBias: false, name: 'fc' }));
    model.layers[2].setWeights([tf.tensor2d([[1], [-2], [0.5]])]);
    before = tf.memory().numTensors;
    const x = tf.randomUniform([1, 6, 6, 1], -1, 1, 'float32', 11) as tf.Tensor4D;
    const guided = guidedGradient({ model, input: x, target: 0 });
    const w = tf.clone(model.layers[2].getWeights()[0]);
    const positive = tf.tensor2d([[1], [0], [0.5]]);
    model.layers[2].setWeights([positive]);
    positive.dispose();
    const plain = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(model.apply(v) as tf.Tensor))(x));
    model.layers[2].setWeights([w]);
    const a = guided.dataSync();
    plain.dataSync().forEach((v, k) => expect(a[k]).toBeCloseTo(v, 6));
    // and it differs from the ordinary gradient of the real net
    const ordinary = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(model.apply(v) as tf.Tensor))(x));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ordinary, guided))).dataSync()[0])).toBeGreaterThan(1e-3);
    const map = await guidedBackprop({ model, input: x, target: 0 });
    expect(map.shape).toEqual([6, 6]);
    tf.dispose([x, guided, plain, ordinary, map, w]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('occluding a region the model ignores changes nothing; occluding what it reads does', async () => {
    // The model crops away the right half of the image before anything else: a zero patch there
    // cannot change the score, so occlusion is exactly 0 on those positions.
    const model = tf.sequential();
    model.add(tf.layers.cropping2D({ inputShape: [8, 8, 1], cropping: [[0, 0], [0, 4]] }));
    model.add(tf.layers.flatten({}));
    model.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.ones() }));
    before = tf.memory().numTensors;
    const x = tf.randomUniform([1, 8, 8, 1], 0.5, 1, 'float32', 2) as tf.Tensor4D;
    const m = await occlusion({ model, input: x, target: 1, patch: 4, stride: 4 });
    expect(m.shape).toEqual([2, 2]);
    const [[tl, tr], [bl, br]] = m.arraySync();
    expect(tr).toBe(0);
    expect(br).toBe(0);
    // The left patches remove 16 pixels of value >= 0.5 each from a sum with weights 1.
    expect(tl).toBeGreaterThan(8);
    expect(bl).toBeGreaterThan(8);
    expect(tl).toBeCloseTo(tf.tidy(() => tf.sum(tf.slice(x, [0, 0, 0, 0], [1, 4, 4, 1])).dataSync()[0]), 4);
    await expect(occlusion({ model, input: x, patch: 9 })).rejects.toThrow(/'patch' must be an integer from 1 to 8/);
    tf.dispose([x, m]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    before = tf.memory().numTensors;
  });
});
