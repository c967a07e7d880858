import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import rfExercise, { receptiveField } from '../../lessons/01-convolution/exercises/receptive-field';
import encodingExercise from '../../lessons/06-boxes-iou-nms/exercises/box-encoding';
import matchingExercise from '../../lessons/07-evaluating-detectors/exercises/greedy-matching';
import { prepareCases } from '../../src/exercises/exercise';
import { grade as run } from '../lessons/grade';

/**
 * The exercises that test understanding rather than a printed formula (issue 18):
 * each solution passes every case, each starter fails one, the references give the
 * hand-worked values in the comments, and the mistake each exercise is about fails.
 */
let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

describe('exercise greedy-matching (lesson 7, VOC devkit rules)', () => {
  it('evaluateVoc gives the hand-worked verdicts (IoUs in the case comments)', async () => {
    const expected = (await prepareCases(matchingExercise)).map((c) => c.expected);
    expect(expected).toEqual([
      ['TP', 'FP'],
      ['FP', 'TP'],
      ['TP', 'FP'],
      ['TP'],
      ['FP', 'FP'],
      [],
      ['TP', 'FP'],
      ['TP', 'TP', 'FP', 'FP'],
      ['FP', 'TP'],
    ]);
  });
  it("COCO's rule (move on to the best free ground truth) fails the taken-best case", async () => {
    // the mistake: look for the best IoU among the ground truths not yet taken
    const wrong = matchingExercise.solution.replace('const v = iou(detections[i], t);', 'const v = taken[j] ? 0 : iou(detections[i], t);');
    expect(wrong).not.toBe(matchingExercise.solution);
    const r = await run(matchingExercise, wrong);
    expect(r[2]).toMatchObject({ label: 'best ground truth already taken', passed: false });
  });
  it('forgetting to sort by score fails', async () => {
    const wrong = matchingExercise.solution.replace('.sort((a, b) => detections[b][4] - detections[a][4] || a - b)', '');
    const r = await run(matchingExercise, wrong);
    expect(r[1]!.passed).toBe(false);
  });
});

describe('exercise box-encoding (lesson 6, torchvision BoxCoder.encode)', () => {
  it('encodeBoxes gives the hand-worked deltas', async () => {
    const expected = (await prepareCases(encodingExercise)).map((c) => c.expected as number[]);
    const want = [
      [0.5, 0, Math.LN2, 0], // twice as wide: centre 10 vs 5 over width 10
      [5, 0, 5 * Math.LN2, 0], // the same times (10, 10, 5, 5)
      [0, 0, 0, 0],
      [0.25, 0.25, -Math.LN2, -Math.LN2], // centre (12, 12) vs (8, 8) over 16; 8/16
      // box centre (30, 20), 160 x 80; anchor centre (8, 8), 184 x 96
      [(10 * 22) / 184, (10 * 12) / 96, 5 * Math.log(160 / 184), 5 * Math.log(80 / 96)],
      // box centre (4.375, 5.75), 5.75 x 6.5; anchor centre (4, 6), 4 x 8; weights (1, 1, 2, 2)
      [0.375 / 4, -0.25 / 8, 2 * Math.log(5.75 / 4), 2 * Math.log(6.5 / 8)],
    ];
    expected.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(want[i]![j]!, 5)));
  });
  it('the +1 pixel convention (width x2 - x1 + 1) fails', async () => {
    const wrong = encodingExercise.solution.replace('const gw = box[2] - box[0], gh = box[3] - box[1];', 'const gw = box[2] - box[0] + 1, gh = box[3] - box[1] + 1;').replace('const aw = anchor[2] - anchor[0], ah = anchor[3] - anchor[1];', 'const aw = anchor[2] - anchor[0] + 1, ah = anchor[3] - anchor[1] + 1;');
    expect(wrong).not.toBe(encodingExercise.solution);
    expect((await run(encodingExercise, wrong))[0]!.passed).toBe(false);
  });
});

/**
 * The receptive field as the lesson measures it: the width of the non-zero
 * part of the gradient of one central output pixel with respect to the input,
 * through all-ones kernels (dilated by hand: zeros between the taps, since
 * tfjs refuses stride > 1 together with dilation > 1).
 */
function measuredReceptiveField(layers: number[][]): number {
  const r = receptiveField(layers);
  const jump = layers.reduce((j, [, s = 1]) => j * s, 1);
  const n = r + 4 * jump;
  const kernels = layers.map(([k = 1, , d = 1]) => {
    const span = d * (k - 1) + 1;
    const buf = tf.buffer([span, span, 1, 1]);
    for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) buf.set(1, u * d, v * d, 0, 0);
    return buf.toTensor() as tf.Tensor4D;
  });
  try {
    const forward = (x: tf.Tensor4D) => layers.reduce((t, [, s = 1], i) => tf.conv2d(t, kernels[i]!, s, 'valid'), x);
    return tf.tidy(() => {
      const x = tf.ones([1, n, n, 1]) as tf.Tensor4D;
      const c = Math.floor((forward(x).shape[1]! - 1) / 2);
      const g = tf.grad((input) => forward(input as tf.Tensor4D).slice([0, c, c, 0], [1, 1, 1, 1]).sum())(x);
      const row = g.max([0, 1, 3]).dataSync(); // non-zero columns in any row
      let first = -1, last = -1;
      row.forEach((v, i) => { if (v !== 0) { if (first < 0) first = i; last = i; } });
      return last - first + 1;
    });
  } finally {
    tf.dispose(kernels);
  }
}

describe('exercise receptive-field (lesson 1)', () => {
  it('the solution passes every case and the starter does not', async () => {
    expect((await run(rfExercise, rfExercise.solution)).filter((r) => !r.passed)).toEqual([]);
    expect((await run(rfExercise, rfExercise.starter)).some((r) => !r.passed)).toBe(true);
  });
  it('the reference gives the hand-worked fields of the case comments', async () => {
    const expected = (await prepareCases(rfExercise)).map((c) => c.expected);
    expect(expected).toEqual([5, 7, 5, 43, 16, 1, 14, 1]);
  });
  it('the reference agrees with the extent of tf.grad on every non-empty case', async () => {
    for (const c of rfExercise.cases) {
      const layers = c.args[0] as number[][];
      if (layers.length === 0) continue;
      expect([c.label, measuredReceptiveField(layers)]).toEqual([c.label, receptiveField(layers)]);
    }
  });
  it('forgetting the jump (each layer adds k - 1) fails after a stride', async () => {
    const wrong = rfExercise.solution.replace('r += d * (k - 1) * jump;', 'r += d * (k - 1);');
    expect(wrong).not.toBe(rfExercise.solution);
    const r = await run(rfExercise, wrong);
    expect(r[1]).toMatchObject({ label: 'stride 2 then 3×3', passed: false });
  });
});
