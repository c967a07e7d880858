import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mnistBatches } from '../../src/data/mnist';
import { evaluateAccuracy } from '../../src/train/evaluate';
import { fit, train } from '../../src/train/fit';
import { mlpClassifier } from '../../src/models/backbones/small-classifiers';
import { trainOnFastestBackend } from '../helpers/training-backend';

trainOnFastestBackend();

describe('fit', () => {
  it('lowers the loss of a small MLP on MNIST within a few steps and leaks nothing', async () => {
    const base = tf.memory().numTensors;
    const model = mlpClassifier({ hidden: [32], seed: 1 });
    const afterModel = tf.memory().numTensors;
    const events: number[] = [];
    const result = await fit({
      model,
      data: await mnistBatches({ split: 'train', batchSize: 32, seed: 1, limit: 640 }),
      optimizer: 'adam',
      schedule: 0.003,
      onProgress: (e) => events.push(e.loss),
    });
    // 640 / 32 = 20 steps
    expect(result.steps).toBe(20);
    expect(result.cancelled).toBe(false);
    const first = events.slice(0, 3).reduce((s, v) => s + v, 0) / 3;
    const last = events.slice(-3).reduce((s, v) => s + v, 0) / 3;
    // starts near ln(10) = 2.30 for 10 balanced classes
    expect(first).toBeGreaterThan(1.5);
    expect(last).toBeLessThan(0.8 * first);
    const e = result.history[19];
    expect(e.totalSteps).toBe(null);
    expect(e.metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(e.imagesPerSecond).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(afterModel);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('stops within one step of an abort and reports it', async () => {
    const base = tf.memory().numTensors;
    const model = mlpClassifier({ hidden: [8], seed: 2 });
    const ctrl = new AbortController();
    const result = await fit({
      model,
      data: await mnistBatches({ batchSize: 16, seed: 2, limit: 320 }),
      schedule: { type: 'cosine', lr: 0.01 },
      steps: 20,
      signal: ctrl.signal,
      onProgress: (e) => {
        if (e.step === 3) ctrl.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.steps).toBe(3);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('runs a custom step with loss terms, a schedule and periodic evaluation', async () => {
    const base = tf.memory().numTensors;
    // fit y = 3x with w starting at 0; loss = mse + 0 * reg, reported as two terms
    const w = tf.tidy(() => tf.variable(tf.scalar(0)));
    const xs = [1, 2, 3, 4];
    const data = Array.from({ length: 12 }, (_, i) => ({ xs: tf.tensor1d([xs[i % 4]]), ys: tf.tensor1d([3 * xs[i % 4]]) }));
    const evals: number[] = [];
    const result = await fit({
      step: (b: { xs: tf.Tensor; ys: tf.Tensor }) => {
        const mse = tf.mean(tf.square(tf.sub(tf.mul(w, b.xs), b.ys))) as tf.Scalar;
        const reg = tf.mul(0, tf.square(w)) as tf.Scalar;
        return { loss: tf.add(mse, reg) as tf.Scalar, terms: { mse, reg } };
      },
      variables: [w],
      data,
      optimizer: 'sgd',
      schedule: { type: 'step', lr: 0.05, stepSize: 6, gamma: 0.5 },
      evaluate: { every: 4, fn: () => ({ w: w.dataSync()[0] }) },
      onProgress: (e) => e.evaluation && evals.push(e.step),
    });
    expect(result.steps).toBe(12);
    expect(result.history[0].totalSteps).toBe(12);
    // lr 0.05 for steps 0..5, 0.025 after (StepLR)
    expect(result.history.map((e) => e.lr)).toEqual([...new Array(6).fill(0.05), ...new Array(6).fill(0.025)]);
    // first step: w=0, x=1, y=3: mse = 9
    expect(result.history[0].lossTerms).toEqual({ mse: 9, reg: 0 });
    expect(evals).toEqual([4, 8, 12]);
    expect(Math.abs(3 - result.lastEvaluation!.w)).toBeLessThan(0.2);
    w.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('train() yields one event per step and can be stopped by the consumer', async () => {
    const model = mlpClassifier({ hidden: [8], seed: 3 });
    const base = tf.memory().numTensors;
    const seen: number[] = [];
    for await (const e of train({ model, data: await mnistBatches({ batchSize: 8, seed: 3, limit: 80 }) })) {
      seen.push(e.step);
      if (e.step === 4) break;
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    // the generator's finally disposed its optimizer; the rest of the batches were never made
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
  });

  it('evaluateAccuracy counts argmax hits', async () => {
    const base = tf.memory().numTensors;
    // a "model" that always predicts class 2
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 3, kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 0 }) })] });
    const weights = [tf.zeros([1, 3]), tf.tensor1d([0, 0, 1])];
    model.layers[0].setWeights(weights);
    tf.dispose(weights);
    const batches = [{ xs: tf.zeros([4, 1]), ys: tf.tensor1d([2, 2, 0, 1], 'int32') }];
    // 2 of 4 labels are class 2
    expect(await evaluateAccuracy(model, batches)).toBe(0.5);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('images per second covers whole steps (batch making + training); the training alone is reported apart', async () => {
    const w = tf.tidy(() => tf.variable(tf.scalar(0)));
    const base = tf.memory().numTensors;
    const waitMs = 20;
    // a data source that takes at least waitMs to make each 4-image batch, as a slow augmentation would
    async function* slowBatches() {
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, waitMs));
        yield { xs: tf.ones([4, 1]), ys: tf.fill([4, 1], 2) };
      }
    }
    const result = await fit({
      step: (b: { xs: tf.Tensor; ys: tf.Tensor }) => ({ loss: tf.mean(tf.square(tf.sub(tf.mul(w, b.xs), b.ys))) as tf.Scalar }),
      variables: [w],
      data: slowBatches(),
      optimizer: 'sgd',
      schedule: 0.1,
    });
    expect(result.steps).toBe(5);
    const e = result.history[4];
    // setTimeout may fire up to a millisecond early
    expect(e.dataMs).toBeGreaterThanOrEqual(5 * (waitMs - 1));
    expect(e.trainMs).toBeGreaterThan(0);
    expect(e.imagesPerSecond).toBeCloseTo((20 * 1000) / (e.dataMs + e.trainMs), 6);
    expect(e.trainImagesPerSecond).toBeCloseTo((20 * 1000) / e.trainMs, 6);
    expect(e.imagesPerSecond).toBeLessThan(e.trainImagesPerSecond);
    // whole steps take at least the data's wait, so they cannot beat 4 images per waitMs
    expect(e.imagesPerSecond).toBeLessThanOrEqual((4 * 1000) / (waitMs - 1));
    expect(tf.memory().numTensors).toBe(base);
    w.dispose();
  });

  it('makes no batch beyond the steps asked for', async () => {
    let made = 0;
    function* counted() {
      for (;;) {
        made++;
        yield { xs: tf.ones([2, 1]), ys: tf.ones([2, 1]) };
      }
    }
    const w = tf.tidy(() => tf.variable(tf.scalar(0)));
    const base = tf.memory().numTensors;
    const result = await fit({ step: (b: { xs: tf.Tensor; ys: tf.Tensor }) => ({ loss: tf.mean(tf.sub(tf.mul(w, b.xs), b.ys)) as tf.Scalar }), variables: [w], data: counted(), steps: 3 });
    expect(result.steps).toBe(3);
    expect(made).toBe(3);
    expect(tf.memory().numTensors).toBe(base);
    w.dispose();
  });

  it('evaluates every N steps and once more after the last asked-for step', async () => {
    const w = tf.tidy(() => tf.variable(tf.scalar(0)));
    const base = tf.memory().numTensors;
    function* ones() {
      for (;;) yield { xs: tf.ones([2, 1]), ys: tf.ones([2, 1]) };
    }
    const evals: number[] = [];
    await fit({
      step: (b: { xs: tf.Tensor; ys: tf.Tensor }) => ({ loss: tf.mean(tf.square(tf.sub(tf.mul(w, b.xs), b.ys))) as tf.Scalar }),
      variables: [w],
      data: ones(),
      steps: 10,
      evaluate: { every: 4, fn: ({ step }) => (evals.push(step), { step }) },
    });
    // 10 is not a multiple of 4: the final step is measured all the same.
    expect(evals).toEqual([4, 8, 10]);
    expect(tf.memory().numTensors).toBe(base);
    w.dispose();
  });
});
