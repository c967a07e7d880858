import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mnistBatches } from '../../../src/data/mnist';
import { ssl } from '../../../src/models';
import { loadModelFromDir } from '../../../src/train';

// The shipped Lesson 5 models load from their files and score what their recipes recorded
// (scripts/weights/lesson-05-mae.ts), recomputed here on the reference backend.
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

describe('Lesson 5 shipped weights', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('MAE-tiny: the masked-patch MSE on 500 test digits at 75% (mask seed 5) is the recorded one', async () => {
    const rec = json('weights/lesson-05/mae-tiny/training.json');
    const [embed, encoder, decoder] = await Promise.all(['embed', 'encoder', 'decoder'].map((p) => loadModelFromDir(`weights/lesson-05/mae-tiny/${p}`)));
    const mae = new ssl.Mae(rec.config, { embed, encoder, decoder });
    const { xs, ys } = (await mnistBatches({ split: 'test', batchSize: 500, limit: 500 })).next().value!;
    const loss = tf.tidy(() => mae.forward(xs as tf.Tensor4D, { maskRatio: 0.75, seed: 5 }).loss);
    expect(loss.dataSync()[0]).toBeCloseTo(rec.testLoss, 3);
    expect(rec.testLoss).toBeLessThan(rec.untrainedTestLoss / 5);
    tf.dispose([xs, ys, loss]);
    mae.dispose();
  });
  // DINO-tiny's recorded k-NN accuracy is recomputed by Lesson 5's page (its browser test reads it): 1,500 ViT passes are too slow for the CPU reference backend here.
});
