import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { MNIST_TEST, mnistBatches } from '../../src/data/mnist';
import '../../src/nn/index'; // registers the custom layers (PatchEmbedding, ClassToken, ...) that model.json names
import { evaluateAccuracy } from '../../src/train/evaluate';
import { loadSiteModel } from '../../src/train/io';

// Lesson 3's inductive-bias claim rests on the shipped weights of
// scripts/weights/lesson-03.ts: on the smallest subset the ViT, with no
// locality built in, loses to the CNN. Retraining must not silently break it,
// nor the scores the lesson prints from scores.json.

interface Point {
  id: string;
  model: 'cnn' | 'vit' | 'hybrid';
  trainDigits: number;
  params: number;
  trainAccuracy: number;
  testAccuracy: number;
  path: string;
}

const scores = JSON.parse(readFileSync('weights/lesson-03/scores.json', 'utf8')) as { testDigits: number; points: Point[] };
const models = new Map<string, tf.LayersModel>();
let baseBeforeLoad = 0;

// 'wasm' is the backend the scores were measured on, and ~20x faster than 'cpu'.
beforeAll(async () => {
  await useFastestNodeBackend();
  baseBeforeLoad = tf.memory().numTensors;
  for (const p of scores.points) models.set(p.id, await loadSiteModel(p.path));
});

afterAll(async () => {
  for (const m of models.values()) m.dispose();
  expect(tf.memory().numTensors).toBe(baseBeforeLoad);
  await tf.setBackend('cpu');
});

const point = (model: Point['model'], digits: number) => {
  const p = scores.points.find((q) => q.model === model && q.trainDigits === digits);
  if (!p) throw new Error(`scores.json has no ${model} point on ${digits} digits`);
  return p;
};

describe('shipped Lesson 3 scores (weights/lesson-03/scores.json)', () => {
  it('has a CNN and a ViT point on every subset, subsets growing up to the whole 8,000-digit train split', () => {
    const subsets = [...new Set(scores.points.map((p) => p.trainDigits))].sort((a, b) => a - b);
    expect(subsets.length).toBeGreaterThanOrEqual(3);
    expect(subsets[subsets.length - 1]).toBe(8000);
    for (const n of subsets) {
      expect(point('cnn', n).testAccuracy).toBeGreaterThan(0);
      expect(point('vit', n).testAccuracy).toBeGreaterThan(0);
    }
    expect(scores.testDigits).toBe(MNIST_TEST.end - MNIST_TEST.start);
  });

  it.each(scores.points.map((p) => p.id))('%s: the recorded test accuracy, parameter count and README match a re-measurement', async (id) => {
    const p = scores.points.find((q) => q.id === id)!;
    const model = models.get(id)!;
    const base = tf.memory().numTensors;
    const test = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
    expect(tf.memory().numTensors).toBe(base);
    // k/2000 correct digits: the same model on the same digits and backend gives the same k.
    expect(Math.round(test * 2000)).toBe(Math.round(p.testAccuracy * 2000));
    expect(model.countParams()).toBe(p.params);
    const readme = readFileSync(p.path.replace(/model\.json$/, 'README.md'), 'utf8');
    const row = /\| test accuracy \| ([\d.]+)% \(2,000 test digits\) \|/.exec(readme);
    // A reworded README must fail here, not quietly drop the comparison.
    expect(row, `${id} README: test accuracy row`).not.toBeNull();
    expect((test * 100).toFixed(2)).toBe(row![1]);
  });
});

describe("the lesson's claim", () => {
  it('on the smallest subset the ViT loses to the CNN (re-measured, not read from the file)', async () => {
    const smallest = Math.min(...scores.points.map((p) => p.trainDigits));
    const acc: Record<string, number> = {};
    for (const m of ['cnn', 'vit'] as const) {
      acc[m] = await evaluateAccuracy(models.get(point(m, smallest).id)!, await mnistBatches({ split: 'test', batchSize: 500 }));
    }
    expect(acc.vit, JSON.stringify(acc)).toBeLessThan(acc.cnn);
  });

  it("the ViT gains more from data than the CNN: its deficit on the smallest subset is larger than on the largest", () => {
    const subsets = [...new Set(scores.points.map((p) => p.trainDigits))].sort((a, b) => a - b);
    const gap = (n: number) => point('cnn', n).testAccuracy - point('vit', n).testAccuracy;
    expect(gap(subsets[0]), JSON.stringify(subsets.map((n) => [n, gap(n)]))).toBeGreaterThan(gap(subsets[subsets.length - 1]));
  });
});
