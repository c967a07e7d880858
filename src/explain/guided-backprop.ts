import * as tf from '@tensorflow/tfjs';
import { inputGradient, maxAbsOverChannels } from './input-gradient';
import type { GradientRequest } from './saliency';
import { checkInput, resolveTarget } from './target';

/**
 * Guided backpropagation (Springenberg et al. 2015, sec. 3.4): the gradient
 * of the class score with respect to the image where every ReLU's backward
 * pass is the guided one (`guidedRelu`). `guidedGradient` is the signed
 * `[1, H, W, C]` gradient; `guidedBackprop` its largest magnitude over channels.
 */
export function guidedGradient(request: GradientRequest): tf.Tensor4D {
  const input = checkInput('guidedBackprop', request.model, request.input);
  const { score } = resolveTarget('guidedBackprop', request.model, input, request.target);
  return tf.tidy(() => inputGradient(request.model, input, score, 'guided'));
}

export async function guidedBackprop(request: GradientRequest): Promise<tf.Tensor2D> {
  const g = guidedGradient(request);
  const map = tf.tidy(() => maxAbsOverChannels(g));
  g.dispose();
  return map;
}
