import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../../data/mnist';
import type { FitOptions } from '../fit';

/** Digits and their class indices, e.g. the first 500 of the MNIST test split. */
export interface DigitSet {
  xs: tf.Tensor4D;
  labels: tf.Tensor1D;
}

/** A training batch as `data.mnistBatches` yields it (one-hot labels). */
export interface DigitBatch {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

/**
 * One small run of a lesson's experiment, built so that Node and a page run
 * the same thing: `fit(e.fitOptions)` in `npm run train:weights`,
 * `ui.liveTraining({steps: e.steps, step: train.liveSteps(e.fitOptions)})` in a
 * page. `result()` reads what the run measured (after the loop: the whole
 * run); `dispose()` frees its models and tensors, not the caller's test set.
 */
export interface Experiment<R> {
  readonly steps: number;
  readonly fitOptions: FitOptions<DigitBatch>;
  result(): Promise<R>;
  dispose(): void;
}

/** The first `n` digits of a split, in order (class indices). */
export async function firstDigits(split: 'train' | 'test', n: number): Promise<DigitSet> {
  const batches = await mnistBatches({ split, batchSize: n, limit: n, shuffle: false, labels: 'index' });
  const { xs, ys } = batches.next().value as { xs: tf.Tensor4D; ys: tf.Tensor1D };
  return { xs, labels: ys };
}

/** Top-1 accuracy of the model's first output on a digit set (inference mode). */
export async function accuracyOn(model: tf.LayersModel, set: DigitSet): Promise<number> {
  const acc = tf.tidy(() => {
    const out = model.predict(set.xs);
    return (Array.isArray(out) ? out[0]! : out).argMax(-1).toInt().equal(set.labels.toInt()).mean();
  });
  try {
    return (await acc.data())[0]!;
  } finally {
    acc.dispose();
  }
}

/** The first `n` digits of a set with one-hot labels: a fixed batch to measure gradients on. */
export function probeBatch(set: DigitSet, n: number): DigitBatch {
  return tf.tidy(() => ({ xs: set.xs.slice([0, 0, 0, 0], [n, -1, -1, -1]), ys: tf.oneHot(set.labels.slice([0], [n]).toInt(), 10).toFloat() }));
}

/**
 * The L2 norm of the gradient of `loss` on one batch with respect to each of
 * `kernels` (training mode, as in a step): how much signal reaches each layer.
 */
export function gradientNorms(kernels: tf.Variable[], loss: () => tf.Scalar): number[] {
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, kernels);
    return kernels.map((k) => Math.sqrt(tf.sum(tf.square(grads[k.name]!)).dataSync()[0]!));
  });
}

/** Checks a knob of an experiment: a number in [lo, hi] (whole if asked), else an error naming it. */
export function checkKnob(fn: string, arg: string, v: unknown, lo: number, hi: number, whole = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (whole && !Number.isInteger(v))) {
    throw new Error(`${fn}: '${arg}' must be a ${whole ? 'whole ' : ''}number from ${lo} to ${hi}, got ${JSON.stringify(v)}.`);
  }
  return v;
}
