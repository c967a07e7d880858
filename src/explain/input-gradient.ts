import * as tf from '@tensorflow/tfjs';
import { runLayers } from './layer-graph';
import type { ScoreFn } from './target';

/**
 * d score / d input, `[1, H, W, C]`, through the model's own backward pass
 * (`relu: 'standard'`) or guided backpropagation's (`'guided'`). Call inside `tf.tidy`.
 */
export function inputGradient(model: tf.LayersModel, input: tf.Tensor4D, score: ScoreFn, relu: 'standard' | 'guided' = 'standard'): tf.Tensor4D {
  return tf.grad((x: tf.Tensor) => score(runLayers(model, x, { relu }).output))(input) as tf.Tensor4D;
}

/** A `[1, H, W, C]` gradient → `[H, W]`: the largest magnitude over channels (Simonyan et al. 2014, sec. 3.1). */
export function maxAbsOverChannels(g: tf.Tensor4D): tf.Tensor2D {
  const [, h, w] = g.shape;
  return tf.reshape(tf.max(tf.abs(g), 3), [h, w]);
}
