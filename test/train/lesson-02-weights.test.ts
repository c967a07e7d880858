import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { MNIST_TEST, mnistBatches } from '../../src/data/mnist';
import { evaluateAccuracy } from '../../src/train/evaluate';
import { loadSiteModel } from '../../src/train/io';
import { LESSON2_NAMES, LESSON2_NETS, LESSON2_RECIPE, gradientNorms, mainPathConvs, probeBatch, type TrainingRecord } from '../../scripts/weights/lesson-02';

// Lesson 2's central experiment (He et al. 2016, section 4.2 and figure 6, at MNIST scale): a plain and a
// residual net of the same depth, trained from the same seed on the same batches. The lesson draws the
// shipped runs' training.json and says the residual net trains where the plain one falls behind; these
// tests re-measure what the READMEs and training.json record and check that claim on the shipped weights.

type Dir = (typeof LESSON2_NAMES)[number]['dir'];
let models: Record<Dir, tf.LayersModel>;
let records: Record<Dir, TrainingRecord>;
let baseBeforeLoad: number;

beforeAll(async () => {
  await useFastestNodeBackend();
  baseBeforeLoad = tf.memory().numTensors;
  const loaded = await Promise.all(LESSON2_NAMES.map((n) => loadSiteModel(`weights/lesson-02/${n.dir}/model.json`)));
  models = { plain: loaded[0]!, residual: loaded[1]! };
  records = {
    plain: JSON.parse(readFileSync('weights/lesson-02/plain/training.json', 'utf8')),
    residual: JSON.parse(readFileSync('weights/lesson-02/residual/training.json', 'utf8')),
  };
});

afterAll(async () => {
  for (const n of LESSON2_NAMES) models?.[n.dir]?.dispose();
  expect(tf.memory().numTensors).toBe(baseBeforeLoad);
  await tf.setBackend('cpu');
});

const fullTest = (m: tf.LayersModel) => mnistBatches({ split: 'test', batchSize: 500 }).then((b) => evaluateAccuracy(m, b));
const meanTail = (xs: number[], n = 50) => xs.slice(-n).reduce((s, v) => s + v, 0) / Math.min(n, xs.length);

describe('shipped Lesson 2 nets: the same layers, with and without shortcuts', () => {
  it('have the recorded depth: 6n+2 weighted layers, the same main-path convolutions in both', () => {
    for (const { dir } of LESSON2_NAMES) {
      expect(records[dir].depth).toBe(LESSON2_NETS.depth);
      // 6n + 2 = stem + 6n block convolutions + the dense layer: depth - 1 convolutions on the main path
      expect(mainPathConvs(models[dir]).length).toBe(LESSON2_NETS.depth - 1);
    }
    const shapes = (m: tf.LayersModel) => mainPathConvs(m).map((l) => l.getWeights()[0]!.shape.join('x'));
    expect(shapes(models.plain)).toEqual(shapes(models.residual));
    expect(models.plain.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(0);
    expect(models.residual.layers.filter((l) => l.getClassName() === 'Add').length).toBe((LESSON2_NETS.depth - 2) / 2);
  });

  it("the lesson's claim: the residual net trains where the plain one falls behind", async () => {
    const base = tf.memory().numTensors;
    const acc = { plain: await fullTest(models.plain), residual: await fullTest(models.residual) };
    const tail = { plain: meanTail(records.plain.lossHistory), residual: meanTail(records.residual.lossHistory) };
    expect(tf.memory().numTensors).toBe(base);
    const failures = [
      acc.residual > 0.85 || `residual test accuracy ${acc.residual} <= 0.85`,
      acc.residual - acc.plain > 0.05 || `residual (${acc.residual}) not 5 points above plain (${acc.plain})`,
      tail.residual < 0.7 * tail.plain || `residual last-50 training loss ${tail.residual} not below 0.7 x plain's ${tail.plain}`,
    ].filter((f) => f !== true);
    expect(failures, JSON.stringify({ acc, tail })).toEqual([]);
  });
});

describe('shipped Lesson 2 records (README.md and training.json) match a re-measurement', () => {
  function readme(dir: Dir): { test: string; tail: string } {
    const text = readFileSync(`weights/lesson-02/${dir}/README.md`, 'utf8');
    const test = /\| test accuracy \| ([\d.]+)% \(2,000 test digits\) \|/.exec(text);
    const tail = /\| mean training loss, last 50 steps \| ([\d.]+) \|/.exec(text);
    // A reworded README must fail here, not quietly drop the comparison.
    expect(test, `${dir} README: test accuracy row`).not.toBeNull();
    expect(tail, `${dir} README: training loss row`).not.toBeNull();
    return { test: test![1]!, tail: tail![1]! };
  }

  it.each(LESSON2_NAMES.map((n) => n.dir))('%s: recorded test accuracy, loss tail and steps', async (dir) => {
    expect(MNIST_TEST.end - MNIST_TEST.start).toBe(2000);
    const want = readme(dir);
    const acc = await fullTest(models[dir]);
    // k/2000 is exact at two decimals of a percent
    expect((acc * 100).toFixed(2)).toBe(want.test);
    expect(records[dir].testAccuracy).toBeCloseTo(acc, 9);
    expect(meanTail(records[dir].lossHistory).toFixed(4)).toBe(want.tail);
    expect(records[dir].lossHistory).toHaveLength(LESSON2_RECIPE.steps);
    expect(records[dir].steps).toBe(LESSON2_RECIPE.steps);
  });

  it.each(LESSON2_NAMES.map((n) => n.dir))('%s: the last recorded per-layer gradient norms are those of the shipped weights', async (dir) => {
    const probe = await probeBatch();
    const base = tf.memory().numTensors;
    try {
      const norms = gradientNorms(models[dir], probe.xs, probe.ys);
      const last = records[dir].gradNorms.at(-1)!;
      expect(last.step).toBe(LESSON2_RECIPE.steps);
      expect(norms).toHaveLength(last.norms.length);
      // recorded with 4 significant digits; float sums on another run of the same backend may differ in the last bits
      norms.forEach((v, i) => expect(Math.abs(v - last.norms[i]!) / last.norms[i]!, `layer ${i + 1}`).toBeLessThan(2e-3));
      expect(tf.memory().numTensors).toBe(base);
    } finally {
      tf.dispose([probe.xs, probe.ys]);
    }
  });
});
