import * as tf from '@tensorflow/tfjs';
import { fail, positiveInt, positiveNumber, rate, requiredName } from './check-options';
import { convBnAct } from './conv-bn-act';
import { subSeed } from './init';
import { squeezeExcite } from './squeeze-excite';
import { StochasticDepth } from './stochastic-depth';

export interface MbConvOptions {
  /** Expansion of the input channels in the first 1x1 (1 skips that conv, as EfficientNet's first stage). */
  expandRatio: number;
  kernelSize: number;
  strides: number;
  /** Output channels. */
  filters: number;
  /** Squeeze width as a fraction of the block's INPUT channels (EfficientNet: 0.25); 0 leaves SE out. */
  seRatio: number;
  /** Drop probability of the residual branch while training (torchvision: 0.2 * block index / blocks). Default 0. */
  stochasticDepth?: number;
  name: string;
  seed?: number;
}

/** torchvision's _make_divisible: round to a multiple of 8, never more than 10% below v. */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(v + divisor / 2) - (Math.floor(v + divisor / 2) % divisor));
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/**
 * MBConv, the inverted residual of MobileNetV2 with squeeze-excitation, as
 * torchvision's EfficientNet builds it: 1x1 expand (BN, SiLU) - kxk depthwise
 * with the stride (BN, SiLU) - SE (SiLU inside, sigmoid gate) - 1x1 project (BN,
 * no activation: a linear bottleneck); when stride is 1 and channels stay, the
 * branch passes stochastic depth and is added to the input (no ReLU after).
 * Layers `${name}_expand_*`, `${name}_dw_*`, `${name}_se_*`, `${name}_project_*`, `${name}_drop`, `${name}_add`.
 */
export function mbConv(x: tf.SymbolicTensor, opts: MbConvOptions): tf.SymbolicTensor {
  const fn = 'mbConv';
  const name = requiredName(fn, opts.name);
  const expandRatio = positiveNumber(fn, 'expandRatio', opts.expandRatio);
  const kernelSize = positiveInt(fn, 'kernelSize', opts.kernelSize);
  if (kernelSize % 2 === 0) fail(fn, 'kernelSize', 'an odd whole number (3, 5, ...)', kernelSize);
  const strides = positiveInt(fn, 'strides', opts.strides);
  const filters = positiveInt(fn, 'filters', opts.filters);
  const seRatio = opts.seRatio;
  if (typeof seRatio !== 'number' || !(seRatio >= 0 && seRatio <= 1)) fail(fn, 'seRatio', 'a fraction in [0, 1] (0: no SE)', seRatio);
  const drop = rate(fn, 'stochasticDepth', opts.stochasticDepth ?? 0);
  const inChannels = x.shape[x.shape.length - 1] as number;
  const expanded = makeDivisible(inChannels * expandRatio);

  let y = x;
  if (expanded !== inChannels) {
    y = convBnAct(y, { filters: expanded, kernelSize: 1, padding: 0, activation: 'silu', name: `${name}_expand`, seed: subSeed(opts.seed, 1) });
  }
  y = convBnAct(y, { filters: expanded, kernelSize, strides, groups: expanded, padding: (kernelSize - 1) / 2, activation: 'silu', name: `${name}_dw`, seed: subSeed(opts.seed, 2) });
  if (seRatio > 0) {
    y = squeezeExcite(y, { squeezeChannels: Math.max(1, Math.floor(inChannels * seRatio)), activation: 'silu', gate: 'sigmoid', name: `${name}_se`, seed: subSeed(opts.seed, 3) });
  }
  y = convBnAct(y, { filters, kernelSize: 1, padding: 0, activation: null, name: `${name}_project`, seed: subSeed(opts.seed, 5) });
  if (strides !== 1 || inChannels !== filters) return y;
  if (drop > 0) y = new StochasticDepth({ rate: drop, name: `${name}_drop` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.add({ name: `${name}_add` }).apply([y, x]) as tf.SymbolicTensor;
}
