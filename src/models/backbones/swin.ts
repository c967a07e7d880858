import * as tf from '@tensorflow/tfjs';
import { LayerNorm, patchEmbed, patchMerging, swinStage } from '../../nn/swin';
import type { BackboneSpec } from './common';

/**
 * Swin Transformer backbones (torchvision `SwinTransformer`, V1). Stage ends are
 * named `C2`..`C5` (strides 4, 8, 16, 32 with 4 × 4 patches) so a neck can pick
 * the `[C, 2C, 4C, 8C]` pyramid; `features: true` returns those maps instead of logits.
 */
export interface SwinConfig {
  patchSize: number;
  embedDim: number;
  depths: number[];
  numHeads: number[];
  /** One window for every stage (torchvision), or one per stage. */
  windowSize: number | number[];
  mlpRatio?: number;
  /** Zero padding on every side before the patch embedding (e.g. 28 → 32 for digits). */
  inputPad?: number;
}

/** torchvision `swin_t`: patch 4, C = 96, depths (2, 2, 6, 2), heads (3, 6, 12, 24), window 7. */
export const SWIN_T: SwinConfig = { patchSize: 4, embedDim: 96, depths: [2, 2, 6, 2], numHeads: [3, 6, 12, 24], windowSize: 7 };

/**
 * The course's digit-sized Swin: 28 × 28 digits padded to 32, 4 × 4 patches (8 × 8
 * tokens), C = 16, depths (2, 2, 2, 2), heads (1, 2, 4, 8), so stage maps are 8, 4,
 * 2, 1 at strides 4, 8, 16, 32 like Swin-T's. Windows of 4 shifted by 2 on stage 1
 * (four windows); from stage 2 on the window is the whole map, the rule of the
 * paper's code (microsoft/Swin-Transformer: if the map is no larger than the window,
 * the window shrinks to it and the shift is dropped), where torchvision would pad a
 * 2 × 2 map to 4 × 4.
 */
export const SWIN_TINY: SwinConfig = { patchSize: 4, embedDim: 16, depths: [2, 2, 2, 2], numHeads: [1, 2, 4, 8], windowSize: [4, 4, 2, 1], inputPad: 2 };

export interface SwinBuildOptions {
  inputShape: [number, number, number];
  numClasses: number;
  features?: boolean;
  seed?: number;
  name?: string;
}

function checkConfig(cfg: SwinConfig): void {
  const n = cfg.depths.length;
  if (n < 1 || cfg.numHeads.length !== n) throw new Error(`swin: 'numHeads' must have one entry per stage (${n}), got ${cfg.numHeads.length}.`);
  if (Array.isArray(cfg.windowSize) && cfg.windowSize.length !== n) throw new Error(`swin: 'windowSize' must be a number or one per stage (${n}), got ${cfg.windowSize.length}.`);
  cfg.numHeads.forEach((h, i) => {
    const dim = cfg.embedDim * 2 ** i;
    if (dim % h !== 0) throw new Error(`swin: stage ${i + 1} has ${dim} channels, which 'numHeads' ${h} does not divide.`);
  });
}

/** Builds a Swin from a config: patch embed, stages with merging between, LayerNorm, global average pool, Linear head (logits). */
export function buildSwin(cfg: SwinConfig, opts: SwinBuildOptions): tf.LayersModel {
  checkConfig(cfg);
  const seed = opts.seed ?? 1;
  const input = tf.input({ shape: opts.inputShape, name: 'image' });
  let x: tf.SymbolicTensor = input;
  if (cfg.inputPad) x = tf.layers.zeroPadding2d({ padding: cfg.inputPad, name: 'input_pad' }).apply(x) as tf.SymbolicTensor;
  x = patchEmbed(x, { patchSize: cfg.patchSize, embedDim: cfg.embedDim, name: 'patch_embed', seed });
  const stages: tf.SymbolicTensor[] = [];
  cfg.depths.forEach((depth, i) => {
    if (i > 0) x = patchMerging(x, { name: `merge${i}`, seed: seed * 1000 + i });
    const window = Array.isArray(cfg.windowSize) ? cfg.windowSize[i] : cfg.windowSize;
    x = swinStage(x, { depth, numHeads: cfg.numHeads[i], windowSize: window, mlpRatio: cfg.mlpRatio, seed: seed * 1000 + 100 * i, name: `stage${i + 1}` });
    // Named stage end (identity), so detectors can take C2..C5 from the full model too.
    x = tf.layers.activation({ activation: 'linear', name: `C${i + 2}` }).apply(x) as tf.SymbolicTensor;
    stages.push(x);
  });
  if (opts.features) return tf.model({ inputs: input, outputs: stages, name: opts.name ?? 'swin_features' });
  x = new LayerNorm({ epsilon: 1e-5, name: 'norm' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: opts.numClasses, kernelInitializer: tf.initializers.truncatedNormal({ stddev: 0.02, seed: seed * 10 + 9 }), name: 'head' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: opts.name ?? 'swin' });
}

export const buildSwinT = (opts: SwinBuildOptions) => buildSwin(SWIN_T, { name: 'swin_t', ...opts });
export const buildSwinTiny = (opts: SwinBuildOptions) => buildSwin(SWIN_TINY, { name: 'swin_tiny', ...opts });

const SWIN_REF = 'Liu et al. 2021, Swin Transformer; torchvision swin_transformer.py (V1)';

/** Registry entries (src/models/backbones/index.ts). */
export const swinSpecs: BackboneSpec[] = [
  {
    name: 'swin_t', family: 'swin', reference: SWIN_REF, torchvisionParams: 28_288_354, torchvisionGmacs: 4.49,
    defaults: { inputShape: [224, 224, 3], numClasses: 1000 }, minInputSize: 32, knobs: [], hasFeatures: true,
    build: (c) => buildSwinT({ inputShape: c.inputShape, numClasses: c.numClasses, features: c.features, seed: c.seed + 1 }),
  },
  {
    name: 'swin_tiny', family: 'swin', reference: `${SWIN_REF}; C = 16, 4 stages, for 28x28 digits padded to 32`,
    defaults: { inputShape: [28, 28, 1], numClasses: 10 }, minInputSize: 12, knobs: [], hasFeatures: true,
    build: (c) => buildSwinTiny({ inputShape: c.inputShape, numClasses: c.numClasses, features: c.features, seed: c.seed + 1 }),
  },
];
