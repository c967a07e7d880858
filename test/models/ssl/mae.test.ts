import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ssl } from '../../../src/models';

// Reference: He et al. 2022 and facebookresearch/mae models_mae.py (forward_encoder, forward_decoder, forward_loss).
const SMALL = { patchSize: 7, dim: 16, depth: 1, numHeads: 2, decoderDim: 8, decoderDepth: 1, decoderHeads: 1 };

describe('MAE', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('maeLoss reads the masked patches only: changing visible-patch predictions leaves it unchanged', () => {
    const target = tf.randomUniform([2, 4, 3], 0, 1, 'float32', 1);
    const pred = tf.randomUniform([2, 4, 3], 0, 1, 'float32', 2);
    const mask = tf.tensor2d([[1, 0, 1, 0], [0, 0, 1, 1]]);
    const base = ssl.maeLoss(pred, target, mask);
    // Add noise to the predictions of the visible patches (mask 0) only.
    const visibleOnly = tf.tidy(() => pred.add(tf.randomNormal([2, 4, 3], 0, 5, 'float32', 3).mul(tf.sub(1, mask).expandDims(2))));
    const same = ssl.maeLoss(visibleOnly, target, mask);
    expect(same.dataSync()[0]).toBeCloseTo(base.dataSync()[0], 6);
    // ... and the same change on one masked patch does change it.
    const maskedChange = tf.tidy(() => pred.add(tf.oneHot(tf.tensor1d([0], 'int32'), 4).reshape([1, 4, 1]).mul(0.5)));
    const other = ssl.maeLoss(maskedChange, target, mask);
    expect(Math.abs(other.dataSync()[0] - base.dataSync()[0])).toBeGreaterThan(1e-3);
    tf.dispose([target, pred, mask, base, visibleOnly, same, maskedChange, other]);
  });

  it('maeLoss against a hand-worked case: the mean over masked patches of each patch\'s mean squared error', () => {
    // Patch errors: patch 0 (masked) (1-0)^2,(2-0)^2 -> mean 2.5; patch 1 (visible) ignored; patch 2 (masked) (0-3)^2, 0 -> 4.5.
    const pred = tf.tensor3d([[[1, 2], [9, 9], [0, 0]]]);
    const target = tf.tensor3d([[[0, 0], [0, 0], [3, 0]]]);
    const mask = tf.tensor2d([[1, 0, 1]]);
    const l = ssl.maeLoss(pred, target, mask);
    expect(l.dataSync()[0]).toBeCloseTo((2.5 + 4.5) / 2, 6);
    // norm_pix_loss: target patch [3, 0] -> mean 1.5, unbiased var 4.5, normalised [1.5, -1.5] / sqrt(4.5 + 1e-6) = [0.7071, -0.7071].
    const n = ssl.normalisePatches(target);
    expect((n.arraySync() as number[][][])[0][2][0]).toBeCloseTo(1.5 / Math.sqrt(4.5 + 1e-6), 5);
    tf.dispose([pred, target, mask, l, n]);
  });

  it('the encoder sees the visible patches only: changing masked pixels changes no prediction', () => {
    const mae = ssl.createMae({ ...SMALL, seed: 2 });
    const xs = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const noise = tf.randomUniform([2, 16], 0, 1, 'float32', 6) as tf.Tensor2D;
    const a = mae.forward(xs, { maskRatio: 0.75, noise });
    expect(a.pred.shape).toEqual([2, 16, 49]);
    expect(a.latent.shape).toEqual([2, 4, 16]); // int(16 * 0.25) = 4 visible tokens go through the encoder
    expect(a.keep.shape).toEqual([2, 4]);
    // Overwrite every masked patch's pixels with random values; visible ones unchanged.
    const m = tf.tidy(() => ssl.unpatchify(a.mask.expandDims(2).tile([1, 1, 49]), 7, [4, 4], 1));
    const changed = tf.tidy(() => xs.mul(tf.sub(1, m)).add(tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7).mul(m)) as tf.Tensor4D);
    const b = mae.forward(changed, { maskRatio: 0.75, noise });
    expect(Array.from(b.pred.dataSync())).toEqual(Array.from(a.pred.dataSync()).map((v) => expect.closeTo(v, 5)));
    expect(Math.abs(b.loss.dataSync()[0] - a.loss.dataSync()[0])).toBeGreaterThan(1e-4); // targets changed
    tf.dispose([xs, noise, m, changed, ...Object.values(a), ...Object.values(b)]);
    mae.dispose();
  });

  it('trains: a few Adam steps on 8 digits lower the loss; the mask token and decoder get gradients', () => {
    const mae = ssl.createMae({ ...SMALL, seed: 3 });
    const xs = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 8) as tf.Tensor4D;
    const opt = tf.train.adam(0.01);
    const names = mae.variables.map((v) => v.name);
    expect(names.some((n) => n.includes('mask_token'))).toBe(true);
    const first = tf.tidy(() => mae.loss(xs, { seed: 1, training: false }).dataSync()[0]);
    for (let i = 0; i < 15; i++) tf.dispose(opt.minimize(() => mae.loss(xs, { seed: 1 }), true, mae.variables) ?? []);
    const last = tf.tidy(() => mae.loss(xs, { seed: 1, training: false }).dataSync()[0]);
    expect(last).toBeLessThan(first * 0.9);
    opt.dispose();
    tf.dispose(xs);
    mae.dispose();
  });

  it('reconstruct gives images; features give one vector per image; bad input names its argument', () => {
    const mae = ssl.createMae({ ...SMALL, seed: 4, normPixLoss: true });
    const xs = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
    const r = mae.reconstruct(xs, { maskRatio: 0.5, seed: 2 });
    expect(r.pasted.shape).toEqual([3, 28, 28, 1]);
    expect(r.masked.shape).toEqual([3, 28, 28, 1]);
    const f = mae.features(xs);
    expect(f.shape).toEqual([3, 16]);
    expect(() => mae.forward(xs, { maskRatio: 1 })).toThrow(/'maskRatio' must be a number strictly between 0 and 1/);
    const z = tf.zeros([1, 32, 32, 1]) as tf.Tensor4D;
    expect(() => mae.forward(z)).toThrow(/'xs' must be an image batch \[B, 28, 28, 1\]/);
    expect(() => ssl.createMae({ patchSize: 5 })).toThrow(/'patchSize' must be a divisor of the image size 28x28/);
    tf.dispose([xs, f, z, ...Object.values(r)]);
    mae.dispose();
  });
});
