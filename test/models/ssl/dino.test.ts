import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ssl } from '../../../src/models';

// Reference: Caron et al. 2021 (Algorithm 1) and facebookresearch/dino (DINOLoss, DINOHead, cosine_scheduler, the EMA in train_one_epoch).
const SMALL = { dim: 16, depth: 1, numHeads: 2, headHidden: 16, bottleneck: 8, outDim: 12, localCrops: 1 };

describe('DINO', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('the teacher starts as the student and after a step is exactly the EMA λ·θ_t + (1 − λ)·θ_s of the updated student', async () => {
    const dino = ssl.createDino({ ...SMALL, seed: 2 });
    const t0 = dino.teacher.getWeights().map((w) => w.dataSync().slice());
    const s0 = dino.student.getWeights().map((w) => w.dataSync().slice());
    expect(t0.map((w) => Array.from(w))).toEqual(s0.map((w) => Array.from(w)));
    const xs = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const opt = tf.train.sgd(0.5);
    const r = await dino.trainStep(xs, opt, { step: 3, totalSteps: 10 });
    // λ at step 3 of 10 from base 0.99: 1 − 0.01·(cos(0.3π) + 1)/2
    const lambda = 1 - (0.01 * (Math.cos(0.3 * Math.PI) + 1)) / 2;
    expect(r.momentum).toBeCloseTo(lambda, 12);
    const s1 = dino.student.getWeights().map((w) => w.dataSync());
    const t1 = dino.teacher.getWeights().map((w) => w.dataSync());
    let moved = 0;
    t1.forEach((w, i) => {
      for (let j = 0; j < w.length; j++) {
        expect(w[j]).toBeCloseTo(lambda * t0[i][j] + (1 - lambda) * s1[i][j], 5);
        moved = Math.max(moved, Math.abs(s1[i][j] - s0[i][j]));
      }
    });
    expect(moved).toBeGreaterThan(1e-4); // the student did move, so the check is not 0 = 0
    opt.dispose();
    xs.dispose();
    dino.dispose();
  });

  it('the centre is the EMA of the teacher\'s mean output; centering off leaves it at zero', async () => {
    const on = ssl.createDino({ ...SMALL, seed: 3, centerMomentum: 0.5 });
    const off = ssl.createDino({ ...SMALL, seed: 3, centering: false });
    const xs = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const opt = tf.train.sgd(0);
    await on.trainStep(xs, opt, { step: 0, totalSteps: 5 });
    await off.trainStep(xs, opt, { step: 0, totalSteps: 5 });
    expect(Array.from(off.center.dataSync()).every((v) => v === 0)).toBe(true);
    // c = 0.5·0 + 0.5·mean(teacher outputs of the two global crops); the teacher is unchanged with lr 0 (λ·t + (1−λ)·t).
    const crops = ssl.multiCrop(xs, { globalCrops: 2, localCrops: 1, seed: 3 * 1_000_003 + 0 });
    const expected = tf.tidy(() => (on.teacher.predict(tf.concat(crops.slice(0, 2), 0)) as tf.Tensor[])[1].mean(0).mul(0.5));
    const got = on.center.dataSync();
    Array.from(expected.dataSync()).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([xs, expected, ...crops]);
    opt.dispose();
    on.dispose();
    off.dispose();
  });

  it('dinoLoss against a hand-worked case: cross-entropy of the centred, sharpened teacher over the other crops', () => {
    // K = 2, one image, two global crops. Teacher outputs t0 = [1, 0], t1 = [0, 1]; centre [0.5, 0.5]; τ_t = 0.5:
    //   q0 = softmax([1, −1]) = [0.8808, 0.1192], q1 = [0.1192, 0.8808].
    // Student outputs s0 = [0, 0] (log p = [−ln2, −ln2]), s1 = [ln 3 · 0.1, 0] at τ_s = 0.1 -> p = [0.75, 0.25].
    // Pairs (q0, s1) and (q1, s0): H(q0, p1) = −(0.8808 ln 0.75 + 0.1192 ln 0.25) = 0.41867; H(q1, p0) = ln 2 = 0.69315.
    const t = [tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]])];
    const s = [tf.tensor2d([[0, 0]]), tf.tensor2d([[Math.log(3) * 0.1, 0]])];
    const c = tf.tensor2d([[0.5, 0.5]]);
    const l = ssl.dinoLoss(s, t, c, { studentTemp: 0.1, teacherTemp: 0.5 });
    const q0 = 1 / (1 + Math.exp(-2));
    const expected = (-(q0 * Math.log(0.75) + (1 - q0) * Math.log(0.25)) + Math.log(2)) / 2;
    expect(l.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([...t, ...s, c, l]);
  });

  it('the momentum schedule runs from its base to 1 on a half cosine', () => {
    expect(ssl.teacherMomentum(0, 100, 0.996)).toBeCloseTo(0.996, 12);
    expect(ssl.teacherMomentum(50, 100, 0.996)).toBeCloseTo(0.998, 12);
    expect(ssl.teacherMomentum(100, 100, 0.996)).toBe(1);
    expect(() => ssl.teacherMomentum(0, 10, 1)).toThrow(/'base' must be a number in \[0, 1\)/);
  });

  it('multi-crop gives the global crops first, every crop at the output size, values in [0, 1]', () => {
    const xs = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const crops = ssl.multiCrop(xs, { globalCrops: 2, localCrops: 3, seed: 1 });
    expect(crops.map((c) => c.shape)).toEqual(Array(5).fill([3, 28, 28, 1]));
    expect(tf.tidy(() => tf.max(tf.stack(crops)).dataSync()[0])).toBeLessThanOrEqual(1);
    expect(() => ssl.multiCrop(xs, { seed: 1, localScale: [0.5, 0.2] })).toThrow(/'localScale' must be a range \[lo, hi\]/);
    tf.dispose([xs, ...crops]);
  });

  it('the network gives features and prototype cosines; collapse stats see one output for identical images', async () => {
    const dino = ssl.createDino({ ...SMALL, seed: 4 });
    const xs = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const [f, out] = dino.student.predict(xs) as tf.Tensor[];
    expect(f.shape).toEqual([6, 16]);
    expect(out.shape).toEqual([6, 12]);
    expect(tf.tidy(() => tf.max(tf.abs(out)).dataSync()[0])).toBeLessThanOrEqual(1 + 1e-5); // cosines
    const same = tf.tidy(() => xs.slice([0, 0, 0, 0], [1, -1, -1, -1]).tile([6, 1, 1, 1]) as tf.Tensor4D);
    const stats = await dino.collapseStats(same);
    expect(stats.spread).toBeCloseTo(0, 5);
    expect(stats.topShare).toBe(1);
    expect(stats.distinct).toBe(1);
    tf.dispose([xs, f, out, same]);
    dino.dispose();
  });

  it('knnAccuracy against a hand-worked case', async () => {
    // Bank: two class-0 vectors near (1, 0), one class-1 near (0, 1). Query (1, 0.1) -> class 0; (0.1, 1) with k 1 -> class 1.
    const bank = tf.tensor2d([[1, 0], [0.9, 0.1], [0, 1]]);
    const q = tf.tensor2d([[1, 0.1], [0.1, 1]]);
    expect(await ssl.knnAccuracy(bank, [0, 0, 1], q, [0, 1], { k: 1, classes: 2 })).toBe(1);
    // With k 3 and T 1 the second query's vote: class 1 exp(0.995) vs class 0 exp(0.0995) + exp(0.1885): class 1 still wins (2.70 > 2.31).
    expect(await ssl.knnAccuracy(bank, [0, 0, 1], q, [0, 1], { k: 3, temperature: 1, classes: 2 })).toBe(1);
    await expect(ssl.knnAccuracy(bank, [0, 0], q, [0, 1])).rejects.toThrow(/'bankLabels'/);
    tf.dispose([bank, q]);
  });
});
