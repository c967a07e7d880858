import * as tf from '@tensorflow/tfjs';
import { positiveInt, requiredName } from './check-options';
import { convBnAct } from './conv-bn-act';
import { subSeed } from './init';
import { residualJoin } from './residual-shortcut';

export interface BasicBlockOptions {
  filters: number;
  /** 2 halves the map in the first conv (and in the projection shortcut). Default 1. */
  strides?: number;
  /** false: the plain twin, same layers without the addition (He et al. 2015's "plain" nets). Default true. */
  shortcut?: boolean;
  name: string;
  seed?: number;
}

/**
 * ResNet's basic block (ResNet-18/34, He et al. 2015), H(x) = ReLU(F(x) + x)
 * with F = conv3x3-BN-ReLU-conv3x3-BN. Layers `${name}_1_*`, `${name}_2_*`,
 * `${name}_down_*` (projection, when stride or width change), `${name}_add`, `${name}_out`.
 */
export function basicBlock(x: tf.SymbolicTensor, opts: BasicBlockOptions): tf.SymbolicTensor {
  const fn = 'basicBlock';
  const name = requiredName(fn, opts.name);
  const filters = positiveInt(fn, 'filters', opts.filters);
  const strides = positiveInt(fn, 'strides', opts.strides ?? 1);
  const f1 = convBnAct(x, { filters, kernelSize: 3, strides, padding: 1, name: `${name}_1`, seed: subSeed(opts.seed, 1) });
  const f = convBnAct(f1, { filters, kernelSize: 3, padding: 1, activation: null, name: `${name}_2`, seed: subSeed(opts.seed, 2) });
  return residualJoin(x, f, { shortcut: opts.shortcut ?? true, strides, name, seed: subSeed(opts.seed, 3) });
}
