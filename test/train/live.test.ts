import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mnistBatches } from '../../src/data/mnist';
import { liveSteps } from '../../src/train/live';
import { mlpClassifier } from '../../src/models/backbones/small-classifiers';
import { trainOnFastestBackend } from '../helpers/training-backend';

trainOnFastestBackend();

/** Calls `step` the way ui.liveTraining does: i = 0.., one AbortController, abort in the end. */
async function drive(step: (i: number, s: AbortSignal) => Promise<Record<string, number>>, steps: number, stopAfter = Infinity) {
  const ctrl = new AbortController();
  const history: Record<string, number>[] = [];
  try {
    for (let i = 0; i < steps && !ctrl.signal.aborted; i++) {
      history.push(await step(i, ctrl.signal));
      if (history.length === stopAfter) ctrl.abort();
    }
  } finally {
    ctrl.abort();
  }
  // the abort closes the loop in a later microtask
  await new Promise((r) => setTimeout(r, 0));
  return history;
}

describe('liveSteps', () => {
  it('runs the training loop one step per call, reporting loss, metrics and throughput, and leaks nothing', async () => {
    const model = mlpClassifier({ hidden: [16], seed: 4 });
    const base = tf.memory().numTensors;
    const step = liveSteps({ model, data: await mnistBatches({ batchSize: 32, seed: 4, limit: 640 }), steps: 20, optimizer: 'adam', schedule: 0.003 });
    const history = await drive(step, 20);
    expect(history).toHaveLength(20);
    expect(Object.keys(history[0])).toEqual(expect.arrayContaining(['loss', 'accuracy', 'img/s']));
    expect(step.events.map((e) => e.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(history.slice(-3).map((m) => m.loss))).toBeLessThan(0.8 * mean(history.slice(0, 3).map((m) => m.loss)));
    // the optimizer the loop made is gone once the panel's signal aborts
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });

  it('stops when the signal aborts mid-run (the Stop button), and the loop is closed', async () => {
    const model = mlpClassifier({ hidden: [8], seed: 5 });
    const base = tf.memory().numTensors;
    const step = liveSteps({ model, data: await mnistBatches({ batchSize: 16, seed: 5, limit: 320 }), steps: 20, evaluate: { every: 2, fn: () => ({ probe: 1 }) } });
    const history = await drive(step, 20, 5);
    expect(history).toHaveLength(5);
    expect(step.events).toHaveLength(5);
    expect(history[4].probe).toBe(1);
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });

  it('says so when the data runs out before the panel\'s steps', async () => {
    const model = mlpClassifier({ hidden: [8], seed: 6 });
    const step = liveSteps({ model, data: await mnistBatches({ batchSize: 16, seed: 6, limit: 48 }) });
    await expect(drive(step, 5)).rejects.toThrow(/liveSteps: the training loop ended after 3 steps, before step 4/);
    model.dispose();
  });
});
