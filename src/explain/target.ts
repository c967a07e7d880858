import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { runLayers } from './layer-graph';

/** A target: the scalar to explain, read from the model's output (logits, `[1, K]`). */
export type ScoreFn = (output: tf.Tensor) => tf.Scalar;

/**
 * The score of class `index` (pytorch-grad-cam's ClassifierOutputTarget): the
 * logit, not the probability, so one class's evidence is not mixed with the
 * others' through the softmax.
 */
export function classScore(index: number): ScoreFn {
  return (output) => tf.squeeze(tf.slice(output, [0, index], [1, 1])) as tf.Scalar;
}

/** The model's number of classes (the width of its output). */
export function numClassesOf(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  return shape[shape.length - 1] as number;
}

/** Checks a class index: an integer in [0, K-1], where K is the model's output width. */
export function checkClass(op: string, model: tf.LayersModel, target: number): number {
  const k = numClassesOf(model);
  if (!Number.isInteger(target) || target < 0 || target >= k) fail(op, 'target', `a class index, an integer from 0 to ${k - 1} (the model has ${k} classes)`, String(target));
  return target;
}

/** The model's top class for `input` (a `[1, H, W, C]` image). */
export function topClass(model: tf.LayersModel, input: tf.Tensor): number {
  return tf.tidy(() => tf.argMax(tf.reshape(runLayers(model, input).output, [-1])).dataSync()[0]);
}

/** A class index, a score function, or undefined (the top class) → a score function and its class. */
export function resolveTarget(op: string, model: tf.LayersModel, input: tf.Tensor, target: number | ScoreFn | undefined): { score: ScoreFn; index: number | null } {
  if (typeof target === 'function') return { score: target, index: null };
  const index = target === undefined ? topClass(model, input) : checkClass(op, model, target);
  return { score: classScore(index), index };
}

/** Checks an explanation's input: a `[1, H, W, C]` tensor of the model's input size. */
export function checkInput(op: string, model: tf.LayersModel, input: tf.Tensor): tf.Tensor4D {
  const want = model.inputs[0].shape;
  if (!(input instanceof tf.Tensor) || input.rank !== 4 || input.shape[0] !== 1) fail(op, 'input', 'one image as a [1, H, W, C] tensor', input instanceof tf.Tensor ? `[${input.shape}]` : typeof input);
  for (let i = 1; i < 4; i++) {
    if (want[i] != null && want[i] !== input.shape[i]) fail(op, 'input', `a [1, ${want.slice(1).join(', ')}] tensor (the model's input size)`, `[${input.shape}]`);
  }
  return input as tf.Tensor4D;
}
