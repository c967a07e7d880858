import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { convOutputSize } from '../../lessons/01-convolution/exercises/conv-output-size';
import attentionExercise from '../../lessons/03-attention-vit/exercises/attention';
import iouExercise from '../../lessons/06-boxes-iou-nms/exercises/iou';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { prepareCases } from '../../src/exercises/exercise';
import { runCases } from '../../src/exercises/run-cases';

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

// Every exercise's solution-passes / starter-fails check is in test/lessons/exercises.test.ts (found on disk);
// here only what is special to these exercises: hand-worked references and the mistakes they are about.

describe('iou reference values (boxIou)', () => {
  it('gives the hand-worked IoUs', async () => {
    const expected = (await prepareCases(iouExercise)).map((c) => c.expected as number);
    // 1/7; disjoint 0; identical 1; inner 4/100; touching 0;
    // fractional: inter x [1.5,2.5] = 1, y [0.25,2.75] = 2.5 -> 2.5; areas 3*2.5 = 7.5 and 1*5 = 5; 2.5/(7.5+5-2.5) = 0.25;
    // zero-area: 0/0 -> 0 by the course's convention
    const want = [1 / 7, 0, 1, 0.04, 0, 0.25, 0];
    expected.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });
  it('a common mistake (no clamp on the intersection) fails the disjoint case with expected and got', async () => {
    const wrong = 'function iou(a, b) { const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]); const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]); const i = iw * ih; return i / ((a[2]-a[0])*(a[3]-a[1]) + (b[2]-b[0])*(b[3]-b[1]) - i); }';
    const r = await runCases(compileLearnerCode(wrong, 'iou'), await prepareCases(iouExercise), undefined, { tolerance: iouExercise.tolerance });
    // disjoint [0,0,1,1] and [2,2,3,3]: iw = 1 - 2 = -1, ih = -1, "inter" = 1, union = 1 + 1 - 1 = 1 -> 1 instead of 0
    expect(r[1]).toMatchObject({ label: 'disjoint boxes', passed: false, message: 'expected 0, got 1' });
  });
});

describe('convOutputSize reference', () => {
  it('agrees with the output shapes of tf.conv2d (padding applied with tf.pad, VALID conv)', () => {
    // tfjs allows dilation > 1 only with stride 1, so those cases use stride 1.
    for (const [n, k, s, p, d] of [[32, 3, 1, 1, 1], [32, 3, 2, 1, 1], [7, 3, 1, 0, 2], [227, 11, 4, 0, 1], [10, 4, 1, 2, 2], [9, 2, 3, 0, 1]] as const) {
      const shape = tf.tidy(() => {
        const x = tf.pad(tf.zeros([1, n, n, 1]), [[0, 0], [p, p], [p, p], [0, 0]]) as tf.Tensor4D;
        return tf.conv2d(x, tf.zeros([k, k, 1, 1]) as tf.Tensor4D, s, 'valid', 'NHWC', d).shape;
      });
      expect([n, k, s, p, d, shape[1]]).toEqual([n, k, s, p, d, convOutputSize(n, k, s, p, d)]);
    }
  });
});

describe('attention exercise reference (nn.scaledDotProductAttention)', () => {
  it('gives the hand-worked two-token case and the mean of the values for equal keys', async () => {
    const [twoTokens, equalKeys] = (await prepareCases(attentionExercise)).map((c) => c.expected as number[][]);
    // Q = K = I, d = 2: weights of row 0 are e^(1/sqrt 2) / (e^(1/sqrt 2) + 1) = 2.028115 / 3.028115 = 0.669762
    // and 0.330238; output row 0 = 0.669762*[1, 2] + 0.330238*[3, 4] = [1.660477, 2.660477], row 1 by symmetry
    // = 0.330238*[1, 2] + 0.669762*[3, 4] = [2.339523, 3.339523].
    const w = Math.exp(1 / Math.SQRT2) / (Math.exp(1 / Math.SQRT2) + 1);
    expect(w).toBeCloseTo(0.669762, 6);
    const want = [[w * 1 + (1 - w) * 3, w * 2 + (1 - w) * 4], [(1 - w) * 1 + w * 3, (1 - w) * 2 + w * 4]];
    twoTokens!.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i]!, 5));
    // three equal keys: each weight 1/3, output the mean of [3,0], [0,3], [3,3] = [2, 2]
    equalKeys!.flat().forEach((v) => expect(v).toBeCloseTo(2, 5));
  });
  it('a softmax without subtracting the maximum fails the overflow case', async () => {
    const naive = 'function attention(q, k, v) { const d = q[0].length; return q.map((qi) => { const e = k.map((kj) => Math.exp(kj.reduce((s, x, t) => s + x * qi[t], 0) / Math.sqrt(d))); const z = e.reduce((a, b) => a + b, 0); return v[0].map((_, c) => e.reduce((s, ej, j) => s + (ej / z) * v[j][c], 0)); }); }';
    const r = await runCases(compileLearnerCode(naive, 'attention'), await prepareCases(attentionExercise), undefined, { tolerance: attentionExercise.tolerance });
    // exp(20000 / sqrt 2) = Infinity, Infinity / Infinity = NaN
    expect(r.find((c) => c.label === 'large scores (overflow)')?.passed).toBe(false);
    expect(r.filter((c) => c.label !== 'large scores (overflow)').every((c) => c.passed)).toBe(true);
  });
});
