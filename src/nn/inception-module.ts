import * as tf from '@tensorflow/tfjs';
import { fail, positiveInt, requiredName } from './check-options';
import { convBnAct } from './conv-bn-act';
import { subSeed } from './init';

export interface InceptionModuleOptions {
  /** 1x1 branch filters. */
  c1: number;
  /** 1x1 bottleneck before the 3x3 branch, and that branch's filters. */
  c3reduce: number;
  c3: number;
  /** 1x1 bottleneck before the "5x5" branch, and that branch's filters. */
  c5reduce: number;
  c5: number;
  /** 1x1 projection after the 3x3 max-pool branch. */
  poolProj: number;
  /**
   * Kernel of the branch the paper calls 5x5. torchvision's GoogLeNet uses 3
   * (a known slip it keeps for its pretrained weights), so 3 is the default
   * and gives its parameter count; 5 gives the paper's module.
   */
  fiveByFiveKernel?: 3 | 5;
  /** BatchNorm after each conv, as torchvision's BasicConv2d (eps 1e-3). Default true; false is the 2014 paper. */
  batchNorm?: boolean;
  name: string;
  seed?: number;
}

/**
 * GoogLeNet's inception module (Szegedy et al. 2014, as torchvision builds it):
 * four parallel branches, 1x1 | 1x1 -> 3x3 | 1x1 -> 3x3 (or 5x5) | 3x3 max-pool -> 1x1,
 * concatenated on channels. The 1x1 reductions are what keep it cheap: a 5x5
 * on 192 channels straight to 32 costs 25*192*32 weights, through a 16-channel
 * bottleneck 192*16 + 25*16*32. Output channels c1 + c3 + c5 + poolProj.
 */
export function inceptionModule(x: tf.SymbolicTensor, opts: InceptionModuleOptions): tf.SymbolicTensor {
  const fn = 'inceptionModule';
  const name = requiredName(fn, opts.name);
  const [c1, c3reduce, c3, c5reduce, c5, poolProj] = (['c1', 'c3reduce', 'c3', 'c5reduce', 'c5', 'poolProj'] as const).map((k) => positiveInt(fn, k, opts[k]));
  const k5 = opts.fiveByFiveKernel ?? 3;
  if (k5 !== 3 && k5 !== 5) fail(fn, 'fiveByFiveKernel', '3 (torchvision) or 5 (the paper)', k5);
  const batchNorm = opts.batchNorm ?? true;
  const cba = (input: tf.SymbolicTensor, filters: number, kernelSize: number, suffix: string, k: number) =>
    convBnAct(input, {
      filters, kernelSize, padding: (kernelSize - 1) / 2, batchNorm, useBias: !batchNorm, bnEpsilon: 1e-3,
      name: `${name}_${suffix}`, seed: subSeed(opts.seed, k),
    });
  const b1 = cba(x, c1, 1, 'b1', 1);
  const b2 = cba(cba(x, c3reduce, 1, 'b2_reduce', 2), c3, 3, 'b2', 3);
  const b3 = cba(cba(x, c5reduce, 1, 'b3_reduce', 4), c5, k5, 'b3', 5);
  const pooled = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', name: `${name}_b4_pool` }).apply(x) as tf.SymbolicTensor;
  const b4 = cba(pooled, poolProj, 1, 'b4', 6);
  return tf.layers.concatenate({ axis: -1, name: `${name}_concat` }).apply([b1, b2, b3, b4]) as tf.SymbolicTensor;
}
