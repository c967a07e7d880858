import * as tf from '@tensorflow/tfjs';
import { applyActivation, type ActivationName } from './activation';
import { fail, oneOf, positiveInt, requiredName } from './check-options';
import { convInit } from './init';

export interface ConvBnActOptions {
  filters: number;
  kernelSize: number;
  strides?: number;
  /**
   * 'same', 'valid', or torch-style symmetric zero padding in pixels (a number).
   * A number that equals 'same' at stride 1 becomes 'same'; otherwise a
   * ZeroPadding2D layer pads and the convolution runs 'valid', so output sizes
   * (and MACs) match torchvision's exactly, e.g. AlexNet's 11x11/4 pad 2: 224 -> 55.
   */
  padding?: 'same' | 'valid' | number;
  /** 1, or the input channel count for a depthwise convolution (filters a multiple of it). */
  groups?: number;
  dilation?: number;
  activation?: ActivationName;
  useBias?: boolean;
  /** false: conv + activation only (VGG, AlexNet). Default true. */
  batchNorm?: boolean;
  /** BatchNorm epsilon: torch's 1e-5 by default; torchvision's GoogLeNet uses 1e-3. */
  bnEpsilon?: number;
  name: string;
  seed?: number;
}

/**
 * Convolution, BatchNorm, activation: the unit every modern CNN stacks.
 * The convolution has no bias by default because BatchNorm's beta replaces it
 * (torchvision's convention, and what makes the parameter counts match).
 * Layers: `${name}_conv` (or `_dwconv`), `${name}_bn`, `${name}_act`, and `${name}_pad` when padding is explicit.
 *
 * @example
 * const x = tf.input({shape: [32, 32, 3]});
 * const y = nn.convBnAct(x, {filters: 16, kernelSize: 3, name: 'stem'}); // [null, 32, 32, 16]
 */
export function convBnAct(x: tf.SymbolicTensor, opts: ConvBnActOptions): tf.SymbolicTensor {
  const fn = 'convBnAct';
  const name = requiredName(fn, opts.name);
  const filters = positiveInt(fn, 'filters', opts.filters);
  const kernelSize = positiveInt(fn, 'kernelSize', opts.kernelSize);
  const strides = positiveInt(fn, 'strides', opts.strides ?? 1);
  const dilation = positiveInt(fn, 'dilation', opts.dilation ?? 1);
  const groups = positiveInt(fn, 'groups', opts.groups ?? 1);
  const { activation = 'relu', useBias = false, batchNorm = true, bnEpsilon = 1e-5, seed } = opts;
  const inChannels = x.shape[x.shape.length - 1];
  if (typeof inChannels !== 'number') fail(fn, 'x', 'a tensor with a known channel count');

  let padding: 'same' | 'valid';
  const p = opts.padding ?? 'same';
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0) fail(fn, 'padding', "'same', 'valid' or a whole number of pixels >= 0", p);
    if (p === 0) padding = 'valid';
    else if (strides === 1 && 2 * p === dilation * (kernelSize - 1)) padding = 'same';
    else {
      x = tf.layers.zeroPadding2d({ padding: p, name: `${name}_pad` }).apply(x) as tf.SymbolicTensor;
      padding = 'valid';
    }
  } else padding = oneOf(fn, 'padding', p, ['same', 'valid'] as const);

  let y: tf.SymbolicTensor;
  const common = { kernelSize, strides, padding, dilationRate: dilation, useBias };
  if (groups === 1) {
    y = tf.layers.conv2d({ ...common, filters, kernelInitializer: convInit(seed), name: `${name}_conv` }).apply(x) as tf.SymbolicTensor;
  } else {
    // tfjs has no grouped convolution; the depthwise case (groups = input channels) is the one MBConv and MobileNets need.
    if (groups !== inChannels || filters % inChannels !== 0) {
      fail(fn, 'groups', `1 or the input channel count ${inChannels} (depthwise, with filters a multiple of it)`, groups);
    }
    y = tf.layers
      .depthwiseConv2d({ ...common, depthMultiplier: filters / inChannels, depthwiseInitializer: convInit(seed), name: `${name}_dwconv` })
      .apply(x) as tf.SymbolicTensor;
  }
  if (batchNorm) {
    // Keras momentum is torch's 1 - momentum (torch default 0.1).
    y = tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: bnEpsilon, name: `${name}_bn` }).apply(y) as tf.SymbolicTensor;
  }
  return applyActivation(fn, y, activation, `${name}_act`);
}
