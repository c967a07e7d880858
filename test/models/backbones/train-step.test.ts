import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBackbone, type BuildBackboneOptions } from '../../../src/models/backbones/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

/**
 * The small backbones train on WASM (the course's training backend in Node
 * and the fallback in browsers): one Adam step on a tiny batch gives a finite
 * loss, moves the weights and BN's running statistics, and leaks nothing.
 */
describe('small backbones train one step on wasm', () => {
  trainOnFastestBackend();

  // The full-size families at a width or input size that keeps one step small; their layers are the same code.
  const cases: [string, BuildBackboneOptions][] = [
    ['resnet_tiny', { depth: 8 }], ['plain_tiny', { depth: 8 }], ['cnn_tiny', {}],
    ['resnet18', { widthMultiplier: 0.125, inputShape: [32, 32, 3], numClasses: 10 }],
    ['resnet50', { widthMultiplier: 0.125, inputShape: [32, 32, 3], numClasses: 10 }],
  ];
  for (const [name, opts] of cases) {
    it(`${name}`, async () => {
      expect(tf.getBackend()).toBe('wasm');
      const base = tf.memory().numTensors;
      const model = buildBackbone(name, { ...opts, seed: 1 });
      const opt = tf.train.adam(1e-3);
      const shape = opts.inputShape ?? [28, 28, 1];
      const xs = tf.randomUniform([4, ...shape], 0, 1, 'float32', 2);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10));
      const before = model.getLayer('fc').getWeights()[0].clone();
      const bnName = model.layers.find((l) => l.getClassName() === 'BatchNormalization')!.name;
      const meanBefore = model.getLayer(bnName).getWeights()[2].clone();
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      const l = (await loss.data())[0];
      expect(Number.isFinite(l)).toBe(true);
      expect(l).toBeGreaterThan(0);
      const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(model.getLayer('fc').getWeights()[0], before))).dataSync()[0]);
      expect(moved).toBeGreaterThan(0);
      const bnMoved = tf.tidy(() => tf.max(tf.abs(tf.sub(model.getLayer(bnName).getWeights()[2], meanBefore))).dataSync()[0]);
      expect(bnMoved).toBeGreaterThan(0);
      tf.dispose([loss, xs, ys, before, meanBefore]);
      opt.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });
  }

  it('googlenet with its aux heads: loss = main + 0.3 * (aux1 + aux2) as the paper, one step at 64 px', async () => {
    const base = tf.memory().numTensors;
    const model = buildBackbone('googlenet', { auxLogits: true, inputShape: [64, 64, 3], numClasses: 4, seed: 1 });
    const opt = tf.train.sgd(1e-2);
    const xs = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 2);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3], 'int32'), 4));
    const aux1Before = model.getLayer('aux1_fc2').getWeights()[0].clone();
    const loss = opt.minimize(() => {
      const [main, aux1, aux2] = model.apply(xs, { training: true }) as tf.Tensor[];
      const ce = (p: tf.Tensor) => tf.losses.softmaxCrossEntropy(ys, p);
      return tf.add(ce(main), tf.mul(0.3, tf.add(ce(aux1), ce(aux2)))) as tf.Scalar;
    }, true)!;
    expect(Number.isFinite((await loss.data())[0])).toBe(true);
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(model.getLayer('aux1_fc2').getWeights()[0], aux1Before))).dataSync()[0]);
    expect(moved).toBeGreaterThan(0); // the aux loss reaches its head
    tf.dispose([loss, xs, ys, aux1Before]);
    opt.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
