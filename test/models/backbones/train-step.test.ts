import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBackbone } from '../../../src/models/backbones/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

/**
 * The small backbones train on WASM (the course's training backend in Node
 * and the fallback in browsers): one Adam step on a tiny batch gives a finite
 * loss, moves the weights and BN's running statistics, and leaks nothing.
 */
describe('small backbones train one step on wasm', () => {
  trainOnFastestBackend();

  for (const [name, opts] of [['resnet_tiny', { depth: 8 }], ['plain_tiny', { depth: 8 }], ['cnn_tiny', {}]] as const) {
    it(`${name}`, async () => {
      expect(tf.getBackend()).toBe('wasm');
      const base = tf.memory().numTensors;
      const model = buildBackbone(name, { ...opts, seed: 1 });
      const opt = tf.train.adam(1e-3);
      const xs = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 2);
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
});
