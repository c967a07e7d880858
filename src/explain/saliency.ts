import * as tf from '@tensorflow/tfjs';
import { inputGradient, maxAbsOverChannels } from './input-gradient';
import { checkInput, resolveTarget, type ScoreFn } from './target';

/**
 * Vanilla saliency (Simonyan, Vedaldi & Zisserman 2014, "Deep Inside
 * Convolutional Networks", sec. 3.1): the map is |∂S_c/∂I| taken at the image,
 * the largest magnitude over colour channels.
 */
export interface GradientRequest {
  model: tf.LayersModel;
  input: tf.Tensor4D;
  target?: number | ScoreFn;
}

export async function saliency(request: GradientRequest): Promise<tf.Tensor2D> {
  const input = checkInput('saliency', request.model, request.input);
  const { score } = resolveTarget('saliency', request.model, input, request.target);
  return tf.tidy(() => maxAbsOverChannels(inputGradient(request.model, input, score)));
}
