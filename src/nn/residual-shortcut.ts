import * as tf from '@tensorflow/tfjs';
import { applyActivation } from './activation';
import { convBnAct } from './conv-bn-act';

/**
 * The end of a residual block: with `shortcut`, adds x (or, when the block
 * changes stride or width, a 1x1 strided conv + BN projection of x: He et
 * al.'s option B, torchvision's `downsample`) to the residual branch f, then
 * ReLU. Without it, the "plain" twin: the same f, straight into the ReLU.
 * The projection belongs to the shortcut, so the plain twin has none.
 */
export function residualJoin(
  x: tf.SymbolicTensor, f: tf.SymbolicTensor, opts: { shortcut: boolean; strides: number; name: string; seed?: number },
): tf.SymbolicTensor {
  let y = f;
  if (opts.shortcut) {
    const outChannels = f.shape[f.shape.length - 1] as number;
    const inChannels = x.shape[x.shape.length - 1] as number;
    const identity = opts.strides === 1 && inChannels === outChannels
      ? x
      : convBnAct(x, { filters: outChannels, kernelSize: 1, strides: opts.strides, padding: 0, activation: null, name: `${opts.name}_down`, seed: opts.seed });
    y = tf.layers.add({ name: `${opts.name}_add` }).apply([f, identity]) as tf.SymbolicTensor;
  }
  return applyActivation('residual block', y, 'relu', `${opts.name}_out`);
}
