import * as tf from '@tensorflow/tfjs';
import { positiveInt, requiredName } from './check-options';
import { convBnAct } from './conv-bn-act';
import { subSeed } from './init';

export interface VggBlockOptions {
  /** Number of 3x3 convolutions (VGG-16 uses 2 or 3). */
  convs: number;
  filters: number;
  /** true: BatchNorm after each conv (torchvision's vgg*_bn); default false as the paper and vgg11/vgg16. */
  batchNorm?: boolean;
  /** false leaves out the closing 2x2 max-pool (so a backbone can tap the map before it). Default true. */
  pool?: boolean;
  name: string;
  seed?: number;
}

/**
 * A VGG stage: `convs` 3x3 convolutions (stride 1, pad 1, bias, ReLU), then a
 * 2x2/2 max-pool. Two stacked 3x3 convs see a 5x5 window with 2*9*C^2 = 18C^2
 * weights instead of 25C^2, and a ReLU in between. Layers `${name}_conv{i}_conv`,
 * `${name}_conv{i}_act`, `${name}_pool`.
 */
export function vggBlock(x: tf.SymbolicTensor, opts: VggBlockOptions): tf.SymbolicTensor {
  const fn = 'vggBlock';
  const name = requiredName(fn, opts.name);
  const convs = positiveInt(fn, 'convs', opts.convs);
  const filters = positiveInt(fn, 'filters', opts.filters);
  const batchNorm = opts.batchNorm ?? false;
  let y = x;
  for (let i = 1; i <= convs; i++) {
    y = convBnAct(y, { filters, kernelSize: 3, padding: 1, useBias: !batchNorm, batchNorm, name: `${name}_conv${i}`, seed: subSeed(opts.seed, i) });
  }
  if (opts.pool === false) return y;
  return tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }).apply(y) as tf.SymbolicTensor;
}
