import * as tf from '@tensorflow/tfjs';
import { convInit } from '../../nn/init';
import { checkHalving } from './fpn';
import type { NeckOptions } from './index';
import { FastNormalizedFusion } from './layers';

/** BiFPN blocks stacked by default (EfficientDet-D0's D_bifpn = 3). */
export const BIFPN_DEFAULT_REPEATS = 3;

/** Extra levels BiFPN adds on top of `inputs` stage maps: EfficientDet's P6, P7 on C3..C5 (5 levels in all), at least one. */
export function bifpnExtraLevels(inputs: number): number {
  return Math.max(1, 5 - inputs);
}

/**
 * BiFPN (Tan, Pang and Le, EfficientDet, CVPR 2020, Fig. 2(d)), as the
 * official google/automl EfficientDet builds it:
 * - extra levels on the coarsest input: resample to `channels` (1x1 conv +
 *   BN, only if the channel count differs), then max-pool 3x3 stride 2 'same';
 *   P6 and P7 on C3..C5 (EfficientDet), one extra (P6) on C2..C5;
 * - each block over levels 0..L-1: top-down nodes td_i = node(in_i, up(td_{i+1}))
 *   for i = L-2..1 (the top level has no top-down node, one input removed);
 *   output nodes out_0 = node(in_0, up(td_1)) (the bottom node: one input removed),
 *   out_i = node(in_i, td_i, down(out_{i-1})) with the same-level skip edge in_i,
 *   out_{L-1} = node(in_{L-1}, down(out_{L-2}));
 * - a node: fast normalised fusion (w_i = relu(w_i) / (Σ w_j + 1e-4)), swish,
 *   depthwise-separable 3x3 conv (pointwise bias), BN (momentum 0.99, eps 1e-3);
 *   up = nearest x2, down = max-pool 3x3 stride 2 'same'; an input whose
 *   channels differ from `channels` is resampled by its own 1x1 conv + BN on
 *   each edge (first block only), as automl's resample_feature_map.
 * `options.repeats` blocks (default 3). Layers: `${name}_p{L}_resample`,
 * `${name}_b{k}_td{i}_*`, `${name}_b{k}_out{i}_*` (`_fuse`, `_act`, `_conv`, `_bn`).
 */
export function bifpnNeck(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  const { channels: W, name, seed } = options;
  checkHalving('bifpnNeck', features);
  const repeats = options.repeats ?? BIFPN_DEFAULT_REPEATS;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`bifpnNeck: 'repeats' must be a positive integer, got ${repeats}.`);
  const channelsOf = (x: tf.SymbolicTensor): number => x.shape[3] as number;
  let k = 0;
  const bn = (x: tf.SymbolicTensor, layer: string) =>
    tf.layers.batchNormalization({ axis: -1, momentum: 0.99, epsilon: 1e-3, name: layer }).apply(x) as tf.SymbolicTensor;
  const resample = (x: tf.SymbolicTensor, layer: string): tf.SymbolicTensor => {
    if (channelsOf(x) === W) return x;
    const y = tf.layers.conv2d({ filters: W, kernelSize: 1, useBias: true, kernelInitializer: convInit(seed === undefined ? undefined : seed + k++), name: `${layer}_conv` }).apply(x) as tf.SymbolicTensor;
    return bn(y, `${layer}_bn`);
  };
  const down = (x: tf.SymbolicTensor, layer: string) =>
    tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: layer }).apply(x) as tf.SymbolicTensor;
  const up = (x: tf.SymbolicTensor, layer: string) =>
    tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest', name: layer }).apply(x) as tf.SymbolicTensor;
  const node = (inputs: tf.SymbolicTensor[], layer: string): tf.SymbolicTensor => {
    const fused = new FastNormalizedFusion({ name: `${layer}_fuse` }).apply(inputs) as tf.SymbolicTensor;
    const act = tf.layers.activation({ activation: 'swish', name: `${layer}_act` }).apply(fused) as tf.SymbolicTensor;
    const s = seed === undefined ? undefined : seed + k++;
    const conv = tf.layers
      .separableConv2d({ filters: W, kernelSize: 3, padding: 'same', useBias: true, depthwiseInitializer: convInit(s), pointwiseInitializer: convInit(s), name: `${layer}_conv` })
      .apply(act) as tf.SymbolicTensor;
    return bn(conv, `${layer}_bn`);
  };

  let ins = [...features];
  const extra = bifpnExtraLevels(features.length);
  for (let e = 0; e < extra; e++) {
    const l = ins.length;
    ins.push(down(resample(ins[l - 1], `${name}_p${l}_resample`), `${name}_p${l}_pool`));
  }
  const L = ins.length;
  for (let b = 0; b < repeats; b++) {
    const tag = `${name}_b${b}`;
    const td: tf.SymbolicTensor[] = new Array(L);
    td[L - 1] = ins[L - 1];
    for (let i = L - 2; i >= 1; i--) td[i] = node([resample(ins[i], `${tag}_td${i}_in`), up(td[i + 1], `${tag}_td${i}_up`)], `${tag}_td${i}`);
    const out: tf.SymbolicTensor[] = new Array(L);
    out[0] = node([resample(ins[0], `${tag}_out0_in`), up(td[1], `${tag}_out0_up`)], `${tag}_out0`);
    for (let i = 1; i < L; i++) {
      const same = resample(ins[i], `${tag}_out${i}_in`);
      const below = down(out[i - 1], `${tag}_out${i}_down`);
      out[i] = node(i < L - 1 ? [same, td[i], below] : [same, below], `${tag}_out${i}`);
    }
    ins = out;
  }
  return ins;
}
