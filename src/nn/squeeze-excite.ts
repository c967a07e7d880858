import * as tf from '@tensorflow/tfjs';
import { applyActivation, type ActivationName } from './activation';
import { positiveInt, requiredName } from './check-options';
import { denseInit, subSeed } from './init';

export interface SqueezeExciteOptions {
  /** Width of the bottleneck (torchvision's EfficientNet: max(1, block input channels / 4)). */
  squeezeChannels: number;
  /** Between the two projections: default 'relu' (Hu et al. 2018); EfficientNet uses 'silu'. */
  activation?: ActivationName;
  /** The per-channel gate: default 'sigmoid'; MobileNetV3 uses 'hardSigmoid'. */
  gate?: ActivationName;
  name: string;
  seed?: number;
}

/**
 * Squeeze-and-excitation (Hu et al. 2018): global-average-pool each channel to
 * one number, squeeze to `squeezeChannels`, expand back, gate to (0, 1) and
 * rescale the channels. The two projections are Dense layers on the pooled
 * vector, the same weights and biases as torchvision's 1x1 convs on a 1x1 map.
 * Layers `${name}_pool`, `${name}_reduce`, `${name}_act`, `${name}_expand`, `${name}_gate`, `${name}_scale`.
 */
export function squeezeExcite(x: tf.SymbolicTensor, opts: SqueezeExciteOptions): tf.SymbolicTensor {
  const fn = 'squeezeExcite';
  const name = requiredName(fn, opts.name);
  const squeeze = positiveInt(fn, 'squeezeChannels', opts.squeezeChannels);
  const channels = x.shape[x.shape.length - 1] as number;
  let s = tf.layers.globalAveragePooling2d({ name: `${name}_pool` }).apply(x) as tf.SymbolicTensor;
  s = tf.layers.dense({ units: squeeze, kernelInitializer: denseInit(subSeed(opts.seed, 1)), name: `${name}_reduce` }).apply(s) as tf.SymbolicTensor;
  s = applyActivation(fn, s, opts.activation ?? 'relu', `${name}_act`);
  s = tf.layers.dense({ units: channels, kernelInitializer: denseInit(subSeed(opts.seed, 2)), name: `${name}_expand` }).apply(s) as tf.SymbolicTensor;
  s = applyActivation(fn, s, opts.gate ?? 'sigmoid', `${name}_gate`);
  s = tf.layers.reshape({ targetShape: [1, 1, channels], name: `${name}_reshape` }).apply(s) as tf.SymbolicTensor;
  return tf.layers.multiply({ name: `${name}_scale` }).apply([x, s]) as tf.SymbolicTensor;
}
