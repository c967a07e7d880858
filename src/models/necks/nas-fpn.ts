import * as tf from '@tensorflow/tfjs';
import { checkHalving, fpnInit } from './fpn';
import type { NeckOptions } from './index';
import { GlobalPoolingAttention } from './layers';

/** Stacks of the merging cells by default (mmdetection's RetinaNet NAS-FPN config, stack_times = 7). */
export const NAS_FPN_DEFAULT_REPEATS = 7;

/** NAS-FPN works on five levels (P3..P7 in the paper): the extra ones on top of `inputs` stage maps. */
export function nasFpnExtraLevels(inputs: number): number {
  return 5 - inputs;
}

export interface NasFpnCell {
  /** mmdetection's key, e.g. 'gp_64_4': global pooling of p6 and p4 to p4's size. */
  name: string;
  /** 'sum': x1 + x2; 'gp': x2 + sigmoid(global-avg-pool(x2)) · x1. */
  op: 'sum' | 'gp';
  /** The two inputs (x1, x2), by the name of a map computed so far. */
  inputs: [string, string];
  /** The level (p3..p7) whose size the inputs are resized to. */
  size: string;
  /** The map the cell's result is stored as (replacing it for the next cells). */
  output: string;
  /** ReLU → 3x3 conv (bias) → BN after the op; false for the two inner global-pooling ops. */
  outConv: boolean;
}

/**
 * The published NAS-FPN architecture (Ghiasi, Lin and Le, CVPR 2019, Fig. 6)
 * as mmdetection's NASFPN wires it (seven merging cells with an output conv,
 * two of them holding an inner global-pooling op), in the order they run.
 * Levels p3..p7 are the five pyramid levels, finest first.
 */
export const NAS_FPN_CELLS: readonly NasFpnCell[] = [
  { name: 'gp_64_4', op: 'gp', inputs: ['p6', 'p4'], size: 'p4', output: 'p4_1', outConv: true },
  { name: 'sum_44_4', op: 'sum', inputs: ['p4_1', 'p4'], size: 'p4', output: 'p4_2', outConv: true },
  { name: 'sum_43_3', op: 'sum', inputs: ['p4_2', 'p3'], size: 'p3', output: 'p3', outConv: true },
  { name: 'sum_34_4', op: 'sum', inputs: ['p3', 'p4_2'], size: 'p4', output: 'p4', outConv: true },
  { name: 'gp_43_5', op: 'gp', inputs: ['p4', 'p3'], size: 'p5', output: 'p5_tmp', outConv: false },
  { name: 'sum_55_5', op: 'sum', inputs: ['p5', 'p5_tmp'], size: 'p5', output: 'p5', outConv: true },
  { name: 'gp_54_7', op: 'gp', inputs: ['p5', 'p4_2'], size: 'p7', output: 'p7_tmp', outConv: false },
  { name: 'sum_77_7', op: 'sum', inputs: ['p7', 'p7_tmp'], size: 'p7', output: 'p7', outConv: true },
  { name: 'gp_75_6', op: 'gp', inputs: ['p7', 'p5'], size: 'p6', output: 'p6', outConv: true },
];

const LEVELS = ['p3', 'p4', 'p5', 'p6', 'p7'];

/**
 * NAS-FPN (Ghiasi et al., CVPR 2019) as mmdetection's NASFPN with BN
 * (its RetinaNet config): lateral 1x1 conv + BN per input; extra levels by
 * 1x1 conv + BN + max-pool 2x2 stride 2 on the coarsest; then `repeats`
 * stacks (default 7) of `NAS_FPN_CELLS`. A merging cell resizes both inputs to
 * the output level (mmcv's BaseMergeCell: nearest upsampling when smaller,
 * max-pool with kernel = stride = the ratio when larger), applies its binary
 * op, then ReLU → 3x3 conv with bias → BN. Takes 2..5 stage maps (C2..C5 or
 * C3..C5) and always returns five levels, finest first. Layers:
 * `${name}_lateral{i}_*`, `${name}_extra{i}_*`, `${name}_s{k}_{cell}_*`.
 * Convs have Caffe2Xavier init (kaiming uniform, a = 1), as mmdetection's.
 */
export function nasFpnNeck(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  const { channels: W, name, seed } = options;
  checkHalving('nasFpnNeck', features);
  if (features.length < 2 || features.length > 5) throw new Error(`nasFpnNeck: 'features' must hold 2 to 5 stage maps (NAS-FPN builds five levels), got ${features.length}.`);
  const [th, tw] = features[features.length - 1].shape.slice(1, 3) as number[];
  const f = 2 ** (5 - features.length);
  if (th % f !== 0 || tw % f !== 0) {
    throw new Error(`nasFpnNeck: 'features' must end in a map whose sides divide by ${f} (its ${5 - features.length} extra levels halve it), got ${th}x${tw}.`);
  }
  const repeats = options.repeats ?? NAS_FPN_DEFAULT_REPEATS;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`nasFpnNeck: 'repeats' must be a positive integer, got ${repeats}.`);
  const bn = (x: tf.SymbolicTensor, layer: string) =>
    tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name: layer }).apply(x) as tf.SymbolicTensor;
  const conv = (x: tf.SymbolicTensor, kernelSize: number, useBias: boolean, layer: string) =>
    tf.layers.conv2d({ filters: W, kernelSize, padding: 'same', useBias, kernelInitializer: fpnInit(seed), name: layer }).apply(x) as tf.SymbolicTensor;

  const feats = features.map((f, i) => bn(conv(f, 1, false, `${name}_lateral${i}_conv`), `${name}_lateral${i}_bn`));
  for (let e = 0; feats.length < 5; e++) {
    const c = bn(conv(feats[feats.length - 1], 1, false, `${name}_extra${e}_conv`), `${name}_extra${e}_bn`);
    feats.push(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'valid', name: `${name}_extra${e}_pool` }).apply(c) as tf.SymbolicTensor);
  }
  const env = new Map<string, tf.SymbolicTensor>(LEVELS.map((l, i) => [l, feats[i]]));
  const resize = (x: tf.SymbolicTensor, target: tf.SymbolicTensor, layer: string): tf.SymbolicTensor => {
    const [h, w] = x.shape.slice(1, 3) as number[];
    const [th, tw] = target.shape.slice(1, 3) as number[];
    if (h === th && w === tw) return x;
    if (h < th) return tf.layers.upSampling2d({ size: [th / h, tw / w], interpolation: 'nearest', name: `${layer}_up` }).apply(x) as tf.SymbolicTensor;
    return tf.layers.maxPooling2d({ poolSize: [h / th, w / tw], strides: [h / th, w / tw], padding: 'valid', name: `${layer}_pool` }).apply(x) as tf.SymbolicTensor;
  };
  for (let s = 0; s < repeats; s++) {
    for (const cell of NAS_FPN_CELLS) {
      const layer = `${name}_s${s}_${cell.name}`;
      const target = env.get(cell.size)!;
      const [x1, x2] = cell.inputs.map((n, j) => resize(env.get(n)!, target, `${layer}_in${j + 1}`));
      let y =
        cell.op === 'sum'
          ? (tf.layers.add({ name: `${layer}_sum` }).apply([x1, x2]) as tf.SymbolicTensor)
          : (new GlobalPoolingAttention({ name: `${layer}_gp` }).apply([x1, x2]) as tf.SymbolicTensor);
      if (cell.outConv) {
        y = tf.layers.activation({ activation: 'relu', name: `${layer}_relu` }).apply(y) as tf.SymbolicTensor;
        y = bn(conv(y, 3, true, `${layer}_conv`), `${layer}_bn`);
      }
      env.set(cell.output, y);
    }
  }
  return LEVELS.map((l) => env.get(l)!);
}
