import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../data/mnist';
import { mlpClassifier } from '../models/backbones/index';
import { fail } from '../util/validate';
import { fit } from './fit';

/**
 * Scaling laws from tiny runs (after Kaplan et al. 2020, "Scaling Laws for
 * Neural Language Models", and Hestness et al. 2017): train a model of a given
 * width on a given number of training digits for a FIXED budget of steps, and
 * record the held-out loss. Over a grid of widths × training-set sizes, the
 * loss against size falls close to a straight line on log-log axes, a power
 * law L ≈ a·N^(−α), until another factor (the other size, the budget) limits it.
 *
 * The model is the course's MLP (`mlpClassifier`, one hidden layer of `width`
 * units): cheap enough that a page re-runs a row of the grid live. The held-out
 * loss is the best test cross-entropy over the run's evaluations (early
 * stopping, as Kaplan et al. report converged loss), so overfitting a small set
 * late in the budget does not hide what the data allowed.
 */
export interface ScalingRunOptions {
  width: number;
  trainSize: number;
  /** The fixed budget: steps of `batchSize` images whatever the set's size. */
  steps: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  /** Test digits the loss is measured on (default 1000). */
  testCount?: number;
  /** Evaluate every this many steps (default steps / 8). */
  evaluateEvery?: number;
  signal?: AbortSignal;
  onProgress?: (step: number, steps: number) => void;
}

export interface ScalingPoint {
  width: number;
  trainSize: number;
  params: number;
  steps: number;
  /** Best test cross-entropy (nats) over the run's evaluations. */
  testLoss: number;
  /** Test cross-entropy after the last step. */
  finalTestLoss: number;
  testAccuracy: number;
}

function testLossOf(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): { loss: number; acc: number } {
  const [l, a] = tf.tidy(() => {
    const p = model.predict(xs) as tf.Tensor;
    return [tf.mean(tf.metrics.categoricalCrossentropy(ys, tf.clipByValue(p, 1e-7, 1))), tf.mean(tf.equal(tf.argMax(p, 1), tf.argMax(ys, 1)).toFloat())];
  });
  const out = { loss: l.dataSync()[0], acc: a.dataSync()[0] };
  tf.dispose([l, a]);
  return out;
}

/** One cell of the grid: a fresh MLP of `width`, the first `trainSize` training digits, `steps` Adam steps. */
export async function scalingRun(o: ScalingRunOptions): Promise<ScalingPoint> {
  if (!Number.isInteger(o.width) || o.width < 1) fail('scalingRun', 'width', 'a whole number >= 1 (hidden units)', String(o.width));
  if (!Number.isInteger(o.trainSize) || o.trainSize < 1 || o.trainSize > 8000) fail('scalingRun', 'trainSize', 'a whole number in [1, 8000] (MNIST train split)', String(o.trainSize));
  if (!Number.isInteger(o.steps) || o.steps < 1) fail('scalingRun', 'steps', 'a whole number >= 1', String(o.steps));
  const batchSize = o.batchSize ?? 64;
  const seed = o.seed ?? 1;
  const every = o.evaluateEvery ?? Math.max(1, Math.floor(o.steps / 8));
  const test = (await mnistBatches({ split: 'test', batchSize: o.testCount ?? 1000, limit: o.testCount ?? 1000 })).next().value!;
  const model = mlpClassifier({ hidden: [o.width], seed });
  let best = Infinity;
  let last = { loss: Infinity, acc: 0 };
  try {
    const epochs = Math.ceil((o.steps * batchSize) / o.trainSize) + 1;
    await fit({
      model,
      data: await mnistBatches({ split: 'train', limit: o.trainSize, batchSize: Math.min(batchSize, o.trainSize), seed, epochs }),
      steps: o.steps,
      optimizer: 'adam',
      schedule: o.lr ?? 0.003,
      signal: o.signal,
      yieldEvery: 10,
      evaluate: {
        every,
        fn: () => {
          last = testLossOf(model, test.xs, test.ys);
          best = Math.min(best, last.loss);
          return { testLoss: last.loss };
        },
      },
      onProgress: (e) => o.onProgress?.(e.step, o.steps),
    });
    return { width: o.width, trainSize: o.trainSize, params: model.countParams(), steps: o.steps, testLoss: best, finalTestLoss: last.loss, testAccuracy: last.acc };
  } finally {
    model.dispose();
    tf.dispose([test.xs, test.ys]);
  }
}

/**
 * Least-squares line through (log x, log y): y ≈ a·x^(−alpha), with r² of the
 * fit in log space. Needs two points with different x at least.
 */
export function fitPowerLaw(points: { x: number; y: number }[]): { a: number; alpha: number; r2: number } {
  const pts = points.filter((p) => p.x > 0 && p.y > 0);
  if (pts.length < 2 || new Set(pts.map((p) => p.x)).size < 2) fail('fitPowerLaw', 'points', 'at least two points with positive x and y and different x', String(points.length));
  const lx = pts.map((p) => Math.log(p.x));
  const ly = pts.map((p) => Math.log(p.y));
  const n = pts.length;
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
    syy += (ly[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { a: Math.exp(my - slope * mx), alpha: -slope, r2 };
}
