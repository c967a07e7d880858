import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mnistBatches } from '../../src/data/mnist';
import '../../src/nn'; // registers the Swin layers the model.json names
import { evaluateAccuracy, loadSiteModel } from '../../src/train';
import { trainOnFastestBackend } from '../helpers/training-backend';

trainOnFastestBackend();

// Lesson 4's shipped digits Swin: its README's test accuracy re-measured exactly as
// scripts/weights/lesson-04.ts measured it (2,000 test digits), in the README's format.
describe('shipped Lesson 4 swin_tiny', () => {
  it('loads with its custom layers and scores what its README records', async () => {
    const readme = readFileSync('weights/lesson-04/swin-tiny/README.md', 'utf8');
    const recorded = /\| test accuracy \| ([\d.]+)% \(2,000 test digits\) \|/.exec(readme);
    expect(recorded, 'README: test accuracy row').not.toBeNull();
    const base = tf.memory().numTensors;
    const model = await loadSiteModel('weights/lesson-04/swin-tiny/model.json');
    expect(model.countParams()).toBe(574_616);
    const acc = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
    expect((acc * 100).toFixed(2)).toBe(recorded![1]);
    expect(acc).toBeGreaterThan(0.9);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
