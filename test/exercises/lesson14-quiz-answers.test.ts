import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNumericAnswer, loadQuizSpecs, type QuizSpec } from '../helpers/quiz-specs';
import { deformConv2d } from '../../src/core/index';
import { DeformConv2D, profile } from '../../src/nn/index';
import { bilinearSample } from '../../lessons/14-deformable-conv/exercises/bilinear-sample';

/**
 * Lesson 14's quiz numbers and its exercise's reference recomputed with the
 * course's deformable convolution (core.deformConv2d, nn.DeformConv2D), read
 * through the real quiz plugin, so a quiz that drifts from the library fails.
 */
let specs = new Map<string, QuizSpec>();
beforeAll(async () => {
  specs = await loadQuizSpecs('14-deformable-conv');
});

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

/** The value core.deformConv2d reads at (y, x) of a 1-channel image: a 1x1 kernel of weight 1 at pixel (0, 0) offset by (y, x). */
function sampleByCore(image: number[][], y: number, x: number): number {
  return tf.tidy(() => {
    const h = image.length;
    const w = image[0].length;
    const out = deformConv2d(tf.tensor4d(image.flat(), [1, h, w, 1]), tf.tensor4d([y, x, ...new Array(2 * h * w - 2).fill(0)], [1, h, w, 2]), tf.ones([1, 1, 1, 1]) as tf.Tensor4D);
    return out.dataSync()[0];
  });
}

describe('lesson 14 quiz answers', () => {
  it('dcn-offset-channels: a 3x3 layer with 2 offset groups predicts 36 offset channels', () => {
    const layer = new DeformConv2D({ filters: 4, kernelSize: 3, offsetGroups: 2 });
    const x = tf.zeros([1, 5, 5, 4]) as tf.Tensor4D;
    tf.dispose(layer.apply(x) as tf.Tensor);
    const { offset } = layer.offsetsAndMask(x);
    expectNumericAnswer(specs, 'dcn-offset-channels', offset.shape[3]);
    tf.dispose([x, offset]);
    layer.dispose();
  });

  it('dcn-channel-order: moving only channel 15 moves tap (2, 1) sideways', () => {
    // A 3x3 kernel that is 1 at tap (2, 1) only reads x(oy + 1, ox); an offset of +1 in channel 15 (Δx of tap 7)
    // makes it read x(oy + 1, ox + 1). On the ramp 10y + x at output (1, 1) that is 21 -> 22.
    const ramp = Array.from({ length: 16 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
    const value = tf.tidy(() => {
      const kernel = tf.tensor4d(Array.from({ length: 9 }, (_, m) => (m === 7 ? 1 : 0)), [3, 3, 1, 1]);
      const offset = tf.tensor4d(Array.from({ length: 2 * 2 * 18 }, (_, c) => (c % 18 === 15 ? 1 : 0)), [1, 2, 2, 18]);
      return deformConv2d(tf.tensor4d(ramp, [1, 4, 4, 1]), offset, kernel).arraySync()[0][0][0][0];
    });
    expect(value).toBeCloseTo(22, 5);
    expectNumericAnswer(specs, 'dcn-channel-order', 15);
  });

  it('dcn-bilinear-value: core.deformConv2d and the exercise both sample 2.125', () => {
    expectNumericAnswer(specs, 'dcn-bilinear-value', sampleByCore([[1, 2], [3, 5]], 0.25, 0.5));
    expectNumericAnswer(specs, 'dcn-bilinear-value', bilinearSample([[1, 2], [3, 5]], 0.25, 0.5));
  });

  it('dcn-macs: nn.profile of a 3x3 32 -> 32 DCN v1 on a 7x7 map', () => {
    const input = tf.input({ shape: [7, 7, 32] });
    const m = tf.model({ inputs: input, outputs: new DeformConv2D({ filters: 32, kernelSize: 3, padding: 1 }).apply(input) as tf.SymbolicTensor });
    expectNumericAnswer(specs, 'dcn-macs', profile(m, [7, 7, 32]).macs);
    m.dispose();
  });

  it('the exercise reference equals core.deformConv2d inside, across the border and far outside', () => {
    const img = [[0.5, 1, 0], [2, 3, 4], [1, 0, 6]];
    for (const [y, x] of [[0.25, 0.5], [1.7, 1.2], [-0.5, 1.5], [2.5, 0.25], [-1, 0], [3.2, 1], [0, 2.6]]) {
      expect(bilinearSample(img, y, x)).toBeCloseTo(sampleByCore(img, y, x), 5);
    }
  });
});
