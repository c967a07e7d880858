import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { smallCnnClassifier } from '../../src/models/backbones/small-classifiers';
import { expectSameAfterRoundTrip } from '../helpers/round-trip';

describe('model files (tfjs layers-model format)', () => {
  it('round-trips a model through model.json + weights.bin with identical outputs', async () => {
    const base = tf.memory().numTensors;
    const model = smallCnnClassifier({ filters: [4, 8], seed: 5 });
    const files = await expectSameAfterRoundTrip(model, 7);
    const json = JSON.parse(files.modelJson);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    // float32 weights: 4 bytes per parameter
    expect(files.weights.length).toBe(model.countParams() * 4);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('shipped Lesson 1 weights', () => {
  it('load through loadSiteModel and classify the test split as their README says', async () => {
    const { loadSiteModel } = await import('../../src/train/io');
    const { evaluateAccuracy } = await import('../../src/train/evaluate');
    const { mnistBatches } = await import('../../src/data/mnist');
    const base = tf.memory().numTensors;
    const cnn = await loadSiteModel('weights/lesson-01/cnn/model.json');
    expect(cnn.countParams()).toBe(14378);
    // README reports > 95% on the 2,000 test digits; check the first 500 stay above 90%
    const acc = await evaluateAccuracy(cnn, await mnistBatches({ split: 'test', batchSize: 250, limit: 500 }));
    expect(acc).toBeGreaterThan(0.9);
    cnn.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
