import * as tf from '@tensorflow/tfjs';
import { oneOf } from './check-options';

/** Activations the blocks accept; 'silu' is tfjs's 'swish' (x * sigmoid(x)), the name torchvision uses. */
export const ACTIVATIONS = ['relu', 'relu6', 'silu', 'gelu', 'sigmoid', 'hardSigmoid', 'tanh', null] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Applies `activation` as its own named layer (so per-layer tools see it); null returns x unchanged. */
export function applyActivation(fn: string, x: tf.SymbolicTensor, activation: unknown, name: string): tf.SymbolicTensor {
  const a = oneOf(fn, 'activation', activation, ACTIVATIONS);
  if (a === null) return x;
  if (a === 'relu') return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  const id = a === 'silu' ? 'swish' : a;
  return tf.layers.activation({ activation: id, name }).apply(x) as tf.SymbolicTensor;
}
