import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeformConv2D, profile } from '../../src/nn';
import { deformConv2d } from '../../src/core';
import { expectSameAfterRoundTrip } from '../helpers/round-trip';
import { rand } from './coordinate-grad-check';
import { expectClose } from '../core/helpers';

// Reference: mmcv's DeformConv2dPack / ModulatedDeformConv2dPack around torchvision's DeformConv2d:
// a zero-initialised conv with the deformable conv's own kernel, stride, padding and dilation predicts
// the offsets (and, for DCN v2, mask logits through a sigmoid), so training starts from a plain conv.

const weightOf = (layer: tf.layers.Layer, name: string) => layer.weights.find((w) => w.originalName.endsWith(name))!;

describe('DeformConv2D', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('starts as a regular convolution (v1) and as half of one plus bias (v2, masks sigmoid(0) = 0.5)', () => {
    const x = rand([2, 7, 7, 3], 1);
    for (const modulation of [false, true]) {
      const layer = new DeformConv2D({ filters: 4, kernelSize: 3, modulation, seed: 2 });
      const y = layer.apply(x) as tf.Tensor;
      const kernel = weightOf(layer, 'kernel').read() as tf.Tensor4D;
      const bias = weightOf(layer, 'bias').read();
      const want = tf.tidy(() => tf.add(tf.mul(tf.conv2d(x as tf.Tensor4D, kernel, 1, 'same'), modulation ? 0.5 : 1), bias));
      expect(y.shape).toEqual([2, 7, 7, 4]);
      expectClose(y.arraySync(), want.arraySync());
      tf.dispose([y, want]);
      layer.dispose();
    }
    x.dispose();
  });

  it('feeds its offset conv (offsets first, then mask logits) to core.deformConv2d', () => {
    const layer = new DeformConv2D({ filters: 2, kernelSize: [3, 3], strides: 2, padding: 1, modulation: true, offsetGroups: 2, seed: 3 });
    const x = rand([1, 6, 6, 4], 4);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const ok = weightOf(layer, 'offsetKernel');
    const ob = weightOf(layer, 'offsetBias');
    expect(ok.shape).toEqual([3, 3, 4, 3 * 2 * 9]);
    tf.tidy(() => {
      ok.write(tf.mul(rand(ok.shape as number[], 5), 0.5));
      ob.write(rand(ob.shape as number[], 6));
    });
    const got = layer.apply(x) as tf.Tensor;
    const want = tf.tidy(() => {
      const raw = tf.add(tf.conv2d(x as tf.Tensor4D, ok.read() as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), ob.read());
      const [offset, logits] = tf.split(raw, [36, 18], 3) as tf.Tensor4D[];
      return deformConv2d(x as tf.Tensor4D, offset, weightOf(layer, 'kernel').read() as tf.Tensor4D, {
        bias: weightOf(layer, 'bias').read() as tf.Tensor1D,
        mask: tf.sigmoid(logits) as tf.Tensor4D,
        stride: 2,
        padding: 1,
        offsetGroups: 2,
      });
    });
    expect(got.shape).toEqual([1, 3, 3, 2]);
    expectClose(got.arraySync(), want.arraySync());
    const { offset, mask } = layer.offsetsAndMask(x as tf.Tensor4D);
    expect(offset.shape).toEqual([1, 3, 3, 36]);
    expect(mask!.shape).toEqual([1, 3, 3, 18]);
    tf.dispose([x, got, want, offset, mask!]);
    layer.dispose();
  });

  it('learns its offsets: a few SGD steps move them off zero and lower the loss', () => {
    // Target: a 3x3 conv of the image shifted by half a pixel, which a regular 3x3 conv with the same
    // kernel cannot produce; the gradient in the offsets is what lets the layer reach it.
    const layer = new DeformConv2D({ filters: 1, kernelSize: 3, useBias: false, seed: 7 });
    const x = tf.tidy(() => tf.add(rand([4, 8, 8, 1], 8), 0));
    tf.dispose(layer.apply(x) as tf.Tensor);
    const kernel = weightOf(layer, 'kernel').read() as tf.Tensor4D;
    const target = tf.tidy(() => deformConv2d(x as tf.Tensor4D, tf.fill([4, 8, 8, 18], 0.5) as tf.Tensor4D, kernel, { padding: 1 }));
    const offsetVars = [weightOf(layer, 'offsetKernel'), weightOf(layer, 'offsetBias')].map((w) => (w as unknown as { val: tf.Variable }).val);
    const opt = tf.train.sgd(0.5);
    const lossOf = () => tf.tidy(() => tf.losses.meanSquaredError(target, layer.apply(x) as tf.Tensor) as tf.Scalar);
    const first = lossOf();
    for (let i = 0; i < 20; i++) tf.dispose(opt.minimize(lossOf, true, offsetVars) ?? []);
    const last = lossOf();
    expect(last.dataSync()[0]).toBeLessThan(0.5 * first.dataSync()[0]);
    expect(tf.tidy(() => tf.max(tf.abs(offsetVars[1])).dataSync()[0])).toBeGreaterThan(0.05);
    tf.dispose([x, target, first, last]);
    opt.dispose();
    layer.dispose();
  });

  it('counts the offset conv and the deformable product as MACs, and its parameters', () => {
    const input = tf.input({ shape: [28, 28, 1] });
    const y = new DeformConv2D({ filters: 8, kernelSize: 3, modulation: true, name: 'dcn' }).apply(input) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: y });
    // kernel 3*3*1*8 + bias 8 = 80; offset conv 3*3*1*27 + 27 = 270 (18 offsets + 9 mask logits).
    expect(m.countParams()).toBe(350);
    // 28*28 pixels x 9 taps x (1 channel x 27 offset outputs + 1 channel x 8 filters) = 246,960.
    expect(profile(m, [28, 28, 1]).macs).toBe(28 * 28 * 9 * (27 + 8));
    m.dispose();
  });

  it('round-trips through model.json + weights.bin with moved offsets', async () => {
    const input = tf.input({ shape: [28, 28, 1] });
    const layer = new DeformConv2D({ filters: 4, kernelSize: 3, modulation: true, seed: 9 });
    const out = tf.layers.globalAveragePooling2d({}).apply(layer.apply(input)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    tf.tidy(() => {
      weightOf(layer, 'offsetKernel').write(tf.mul(rand([3, 3, 1, 27], 10), 2));
    });
    await expectSameAfterRoundTrip(m, 11);
    m.dispose();
  });

  it('names bad arguments', () => {
    expect(() => new DeformConv2D({ filters: 0 })).toThrow(/DeformConv2D: 'filters' must be a whole number >= 1/);
    expect(() => new DeformConv2D({ filters: 4, padding: 'full' as 'same' })).toThrow(/'padding' must be 'same', 'valid'/);
    expect(() => new DeformConv2D({ filters: 4, groups: 3 })).toThrow(/'groups' must be a divisor of filters \(4\)/);
    expect(() => new DeformConv2D({ filters: 4, strides: 2, dilationRate: 2 })).toThrow(/'dilationRate' must be 1 when strides > 1/);
    const x = tf.input({ shape: [8, 8, 3] });
    expect(() => new DeformConv2D({ filters: 4, groups: 2 }).apply(x)).toThrow(/'groups' must be a divisor of the input channels \(3\)/);
    expect(() => new DeformConv2D({ filters: 4, offsetGroups: 2 }).apply(x)).toThrow(/'offsetGroups' must be a divisor of the input channels \(3\)/);
  });
});
