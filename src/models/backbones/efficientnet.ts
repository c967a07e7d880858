import * as tf from '@tensorflow/tfjs';
import { convBnAct } from '../../nn/conv-bn-act';
import { denseInit } from '../../nn/init';
import { makeDivisible, mbConv } from '../../nn/mbconv';
import { blockSeed, finish, stage, type BackboneConfig, type BackboneSpec } from './common';

/**
 * EfficientNet (Tan & Le 2019, arXiv:1905.11946) as torchvision's
 * models/efficientnet.py builds it: a 3x3/2 conv-BN-SiLU stem, seven stages of
 * MBConv blocks with squeeze-excitation (the B0 table below), a 1x1 conv to 4x
 * the last stage's channels, global average pool, dropout, one Dense.
 *
 * A network is described first (`efficientNetDefinition`: every block's
 * channels, kernel, stride and map size) and then built from that description,
 * so its parameters and MACs can also be counted without allocating a weight
 * (`countEfficientNet`): B7 has 66 M parameters, slow to build in a page.
 */

/** One row of the base table: MBConv expansion, kernel, first block's stride, channels in and out, repeats. */
export interface MbStage {
  expandRatio: number;
  kernelSize: number;
  strides: number;
  inChannels: number;
  outChannels: number;
  repeats: number;
}

/** EfficientNet-B0 (the paper's Table 1; torchvision's `_efficientnet_conf`): stem 32 channels, head 4 x 320 = 1280. */
export const EFFICIENTNET_B0_STAGES: readonly MbStage[] = [
  { expandRatio: 1, kernelSize: 3, strides: 1, inChannels: 32, outChannels: 16, repeats: 1 },
  { expandRatio: 6, kernelSize: 3, strides: 2, inChannels: 16, outChannels: 24, repeats: 2 },
  { expandRatio: 6, kernelSize: 5, strides: 2, inChannels: 24, outChannels: 40, repeats: 2 },
  { expandRatio: 6, kernelSize: 3, strides: 2, inChannels: 40, outChannels: 80, repeats: 3 },
  { expandRatio: 6, kernelSize: 5, strides: 1, inChannels: 80, outChannels: 112, repeats: 3 },
  { expandRatio: 6, kernelSize: 5, strides: 2, inChannels: 112, outChannels: 192, repeats: 4 },
  { expandRatio: 6, kernelSize: 3, strides: 1, inChannels: 192, outChannels: 320, repeats: 1 },
];

/**
 * The lessons' small EfficientNet for digits: the same recipe (MBConv + SE,
 * expansion, kernels 3 and 5, a stem, a 1x1 head of 4x the last width) in four
 * stages, stem stride 1, three stride-2 stages (a 12 px input ends at 2x2,
 * a 28 px one at 4x4).
 */
export const EFFICIENTNET_TINY_STAGES: readonly MbStage[] = [
  { expandRatio: 1, kernelSize: 3, strides: 1, inChannels: 16, outChannels: 8, repeats: 1 },
  { expandRatio: 4, kernelSize: 3, strides: 2, inChannels: 8, outChannels: 16, repeats: 1 },
  { expandRatio: 4, kernelSize: 5, strides: 2, inChannels: 16, outChannels: 24, repeats: 1 },
  { expandRatio: 4, kernelSize: 3, strides: 2, inChannels: 24, outChannels: 40, repeats: 1 },
];

/** The compound-scaling constants of the paper's grid search (section 3.3): α·β²·γ² = 1.92 ≈ 2. */
export const COMPOUND_SCALING = { alpha: 1.2, beta: 1.1, gamma: 1.15 } as const;

export type EfficientNetVariant = 'b0' | 'b1' | 'b2' | 'b3' | 'b4' | 'b5' | 'b6' | 'b7';

/**
 * The released B0-B7 coefficients (width, depth, resolution, dropout): the
 * official efficientnet_builder.py's `efficientnet_params`, which torchvision's
 * efficientnet_b0..b7 copy. They are the compound rule rounded by hand, not
 * α^φ, β^φ, γ^φ at φ = 0..7 exactly (compare `compoundScaling`).
 */
export const EFFICIENTNET_VARIANTS: Record<EfficientNetVariant, { width: number; depth: number; resolution: number; dropout: number }> = {
  b0: { width: 1.0, depth: 1.0, resolution: 224, dropout: 0.2 },
  b1: { width: 1.0, depth: 1.1, resolution: 240, dropout: 0.2 },
  b2: { width: 1.1, depth: 1.2, resolution: 260, dropout: 0.3 },
  b3: { width: 1.2, depth: 1.4, resolution: 300, dropout: 0.3 },
  b4: { width: 1.4, depth: 1.8, resolution: 380, dropout: 0.4 },
  b5: { width: 1.6, depth: 2.2, resolution: 456, dropout: 0.4 },
  b6: { width: 1.8, depth: 2.6, resolution: 528, dropout: 0.5 },
  b7: { width: 2.0, depth: 3.1, resolution: 600, dropout: 0.5 },
};

function fail(fn: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${fn}: '${arg}' must be ${expected}, got ${JSON.stringify(got)}.`);
}

/**
 * The compound rule (the paper's equation 3): depth d = α^φ, width w = β^φ,
 * resolution r = γ^φ, so FLOPs grow by (α·β²·γ²)^φ ≈ 2^φ. `phi` is a number
 * from 0 to 7 (the B0-B7 range; fractions allowed: the rule is continuous).
 *
 * @example compoundScaling(1) // { depth: 1.2, width: 1.1, resolution: 1.15, flops: 1.92 }
 */
export function compoundScaling(phi: number, constants = COMPOUND_SCALING): { phi: number; depth: number; width: number; resolution: number; flops: number } {
  if (typeof phi !== 'number' || !Number.isFinite(phi) || phi < 0 || phi > 7) fail('compoundScaling', 'phi', 'a number from 0 to 7', phi);
  const { alpha, beta, gamma } = constants;
  return { phi, depth: alpha ** phi, width: beta ** phi, resolution: gamma ** phi, flops: (alpha * beta ** 2 * gamma ** 2) ** phi };
}

/** torchvision's MBConvConfig.adjust_depth: repeats scaled and rounded up. */
export function scaleDepth(repeats: number, depth: number): number {
  return Math.ceil(repeats * depth);
}

/** torchvision's MBConvConfig.adjust_channels: channels scaled and rounded to a multiple of 8 (never > 10% down). */
export function scaleChannels(channels: number, width: number): number {
  return makeDivisible(channels * width, 8);
}

/** A base table scaled by width and depth as torchvision does (channels via _make_divisible, repeats via ceil). */
export function scaleStages(stages: readonly MbStage[], width: number, depth: number): MbStage[] {
  return stages.map((s) => ({ ...s, inChannels: scaleChannels(s.inChannels, width), outChannels: scaleChannels(s.outChannels, width), repeats: scaleDepth(s.repeats, depth) }));
}

export interface EfficientNetConfig {
  /** Width coefficient w (channels x w, rounded to multiples of 8). Default 1. */
  width?: number;
  /** Depth coefficient d (repeats x d, rounded up). Default 1. */
  depth?: number;
  /** The base table (default B0's). */
  stages?: readonly MbStage[];
  /** Stem stride: 2 for ImageNet (default), 1 for the digit nets. */
  stemStride?: number;
  /** Drop rate before the classifier (torchvision: B0 0.2 ... B7 0.5). Default 0. */
  dropout?: number;
  /** Stochastic-depth rate of the last block; block i gets rate * i / blocks (torchvision: 0.2). Default 0. */
  stochasticDepth?: number;
  /** SE squeeze width as a fraction of a block's input channels (0.25; 0 removes SE). Default 0.25. */
  seRatio?: number;
}

/** One MBConv block of a definition: channels, kernel, stride, the map side it reads, and its stage (0-based). */
export interface MbBlockDef {
  name: string;
  stage: number;
  inChannels: number;
  outChannels: number;
  expanded: number;
  squeeze: number;
  kernelSize: number;
  strides: number;
  inSize: [number, number];
  outSize: [number, number];
  stochasticDepth: number;
}

export interface EfficientNetDefinition {
  inputShape: [number, number, number];
  numClasses: number;
  stem: { channels: number; strides: number; outSize: [number, number] };
  blocks: MbBlockDef[];
  head: { channels: number };
  stages: MbStage[];
  dropout: number;
}

/** Output side of a conv with torch's symmetric padding (k - 1) / 2. */
const convOut = (n: number, k: number, s: number) => Math.floor((n + 2 * ((k - 1) >> 1) - k) / s) + 1;

/**
 * Every layer of an EfficientNet as numbers: what `buildEfficientNet` builds
 * and `countEfficientNet` counts. Stage i's first block takes the previous
 * stage's (scaled) channels and the stage's stride; the rest keep both.
 */
export function efficientNetDefinition(inputShape: [number, number, number], numClasses: number, config: EfficientNetConfig = {}): EfficientNetDefinition {
  const fn = 'efficientNetDefinition';
  const width = config.width ?? 1;
  const depth = config.depth ?? 1;
  if (typeof width !== 'number' || !(width > 0) || !Number.isFinite(width)) fail(fn, 'width', 'a number > 0 (the width coefficient w)', width);
  if (typeof depth !== 'number' || !(depth > 0) || !Number.isFinite(depth)) fail(fn, 'depth', 'a number > 0 (the depth coefficient d)', depth);
  const seRatio = config.seRatio ?? 0.25;
  if (!(seRatio >= 0 && seRatio <= 1)) fail(fn, 'seRatio', 'a fraction in [0, 1]', seRatio);
  const stemStride = config.stemStride ?? 2;
  if (stemStride !== 1 && stemStride !== 2) fail(fn, 'stemStride', '1 or 2', stemStride);
  const stages = scaleStages(config.stages ?? EFFICIENTNET_B0_STAGES, width, depth);
  const total = stages.reduce((a, s) => a + s.repeats, 0);
  const sd = config.stochasticDepth ?? 0;
  let size: [number, number] = [convOut(inputShape[0], 3, stemStride), convOut(inputShape[1], 3, stemStride)];
  const stem = { channels: stages[0]!.inChannels, strides: stemStride, outSize: size };
  const blocks: MbBlockDef[] = [];
  stages.forEach((s, i) => {
    for (let b = 0; b < s.repeats; b++) {
      const inChannels = b === 0 ? s.inChannels : s.outChannels;
      const strides = b === 0 ? s.strides : 1;
      const outSize: [number, number] = [convOut(size[0], s.kernelSize, strides), convOut(size[1], s.kernelSize, strides)];
      blocks.push({
        name: `stage${i + 1}_${b}`, stage: i, inChannels, outChannels: s.outChannels, expanded: makeDivisible(inChannels * s.expandRatio),
        squeeze: seRatio > 0 ? Math.max(1, Math.floor(inChannels * seRatio)) : 0, kernelSize: s.kernelSize, strides,
        inSize: size, outSize, stochasticDepth: (sd * blocks.length) / total,
      });
      size = outSize;
    }
  });
  return { inputShape, numClasses, stem, blocks, head: { channels: 4 * stages.at(-1)!.outChannels }, stages, dropout: config.dropout ?? 0 };
}

/** Parameters (trainable: BN's running statistics are not) and MACs of one block. */
function blockCounts(b: MbBlockDef): { params: number; macs: number } {
  const [h, w] = b.outSize;
  const [ih, iw] = b.inSize;
  let params = 0;
  let macs = 0;
  if (b.expanded !== b.inChannels) {
    params += b.inChannels * b.expanded + 2 * b.expanded;
    macs += ih * iw * b.inChannels * b.expanded;
  }
  params += b.kernelSize ** 2 * b.expanded + 2 * b.expanded;
  macs += h * w * b.kernelSize ** 2 * b.expanded;
  if (b.squeeze > 0) {
    params += b.expanded * b.squeeze + b.squeeze + b.squeeze * b.expanded + b.expanded;
    macs += 2 * b.expanded * b.squeeze;
  }
  params += b.expanded * b.outChannels + 2 * b.outChannels;
  macs += h * w * b.expanded * b.outChannels;
  return { params, macs };
}

/**
 * Trainable parameters and MACs (batch 1, as `nn.profile` counts them: convs,
 * the SE projections, the Dense) of a definition, by arithmetic alone. Per
 * block: expand 1x1 (cin·e + BN 2e, when e ≠ cin), depthwise k²·e + 2e,
 * SE e·s + s + s·e + e, project e·cout + 2cout.
 */
export function countEfficientNet(def: EfficientNetDefinition): { params: number; macs: number; blocks: number } {
  const C = def.inputShape[2];
  const c0 = def.stem.channels;
  const [sh, sw] = def.stem.outSize;
  let params = 9 * C * c0 + 2 * c0;
  let macs = sh * sw * 9 * C * c0;
  for (const b of def.blocks) {
    const c = blockCounts(b);
    params += c.params;
    macs += c.macs;
  }
  const last = def.blocks.at(-1)!;
  const [lh, lw] = last.outSize;
  params += last.outChannels * def.head.channels + 2 * def.head.channels + def.head.channels * def.numClasses + def.numClasses;
  macs += lh * lw * last.outChannels * def.head.channels + def.head.channels * def.numClasses;
  return { params, macs, blocks: def.blocks.length };
}

/**
 * Builds the network a definition describes. Layers: `stem_*`, `stage<i>_<b>_*`
 * (mbConv's expand, dw, se, project), `head_*`, `avgpool`, `dropout`, `fc`;
 * stage ends at strides 4, 8, 16, 32 are C2..C5 (after stages 2, 3, 5, 7 of
 * B0's table), or, for a stride-1 stem, C0.. after each stage's stride.
 */
export function buildEfficientNetFrom(name: string, def: EfficientNetDefinition, cfg: BackboneConfig): tf.LayersModel {
  const input = tf.input({ shape: def.inputShape, name: 'input' });
  let x = convBnAct(input, { filters: def.stem.channels, kernelSize: 3, strides: def.stem.strides, padding: 1, activation: 'silu', name: 'stem', seed: blockSeed(cfg, 0) });
  let stride = def.stem.strides;
  const stages: tf.SymbolicTensor[] = [];
  def.blocks.forEach((b, i) => {
    x = mbConv(x, {
      expandRatio: b.expanded / b.inChannels, kernelSize: b.kernelSize, strides: b.strides, filters: b.outChannels,
      seRatio: b.squeeze > 0 ? b.squeeze / b.inChannels : 0, stochasticDepth: b.stochasticDepth, name: b.name, seed: blockSeed(cfg, i + 1),
    });
    stride *= b.strides;
    const next = def.blocks[i + 1];
    // A stage map ends where the next block strides (or the network ends): the last map at each stride.
    if ((!next || next.strides > 1) && stride >= (def.stem.strides === 2 ? 4 : 1)) {
      const level = Math.log2(stride);
      if (cfg.features || def.stem.strides === 2) x = stage(x, level);
      stages.push(x);
    }
  });
  return finish(name, input, cfg, stages, () => {
    let y = convBnAct(x, { filters: def.head.channels, kernelSize: 1, padding: 0, activation: 'silu', name: 'head', seed: blockSeed(cfg, 998) });
    y = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(y) as tf.SymbolicTensor;
    if (def.dropout > 0) y = tf.layers.dropout({ rate: def.dropout, name: 'dropout' }).apply(y) as tf.SymbolicTensor;
    return tf.layers.dense({ units: def.numClasses, kernelInitializer: denseInit(blockSeed(cfg, 999)), name: 'fc' }).apply(y) as tf.SymbolicTensor;
  });
}

/** The definition torchvision's efficientnet_bN gives at an input shape (stochastic depth 0.2, the variant's dropout). */
export function efficientNetVariantDefinition(variant: EfficientNetVariant, inputShape: [number, number, number], numClasses: number): EfficientNetDefinition {
  const v = EFFICIENTNET_VARIANTS[variant];
  if (!v) fail('efficientNetVariantDefinition', 'variant', `one of ${Object.keys(EFFICIENTNET_VARIANTS).join(', ')}`, variant);
  return efficientNetDefinition(inputShape, numClasses, { width: v.width, depth: v.depth, dropout: v.dropout, stochasticDepth: 0.2 });
}

/**
 * A small EfficientNet for digits (EFFICIENTNET_TINY_STAGES, stride-1 stem, no
 * stochastic depth), scaled by `width` and `depth`; resolution is the input
 * shape's side (resize the digits to it).
 */
export function efficientNetTinyDefinition(opts: { width?: number; depth?: number; resolution?: number; channels?: number; numClasses?: number; seRatio?: number } = {}): EfficientNetDefinition {
  const r = opts.resolution ?? 28;
  if (!Number.isInteger(r) || r < 8 || r > 64) fail('efficientNetTinyDefinition', 'resolution', 'a whole number of pixels from 8 to 64', r);
  return efficientNetDefinition([r, r, opts.channels ?? 1], opts.numClasses ?? 10, { width: opts.width, depth: opts.depth, stages: EFFICIENTNET_TINY_STAGES, stemStride: 1, seRatio: opts.seRatio });
}

/** Builds `efficientNetTinyDefinition(opts)` (seeded: the same seed gives the same weights). */
export function buildEfficientNetTiny(opts: Parameters<typeof efficientNetTinyDefinition>[0] & { seed?: number; features?: boolean } = {}): tf.LayersModel {
  const def = efficientNetTinyDefinition(opts);
  const cfg: BackboneConfig = { inputShape: def.inputShape, numClasses: def.numClasses, features: opts.features ?? false, auxLogits: false, widthMultiplier: opts.width ?? 1, seed: opts.seed ?? 0 };
  return buildEfficientNetFrom('efficientnet_tiny', def, cfg);
}

const REF = 'Tan & Le 2019, EfficientNet (arXiv:1905.11946); torchvision models/efficientnet.py';
// torchvision's weights tables (EfficientNet_BN_Weights.IMAGENET1K_V1: num_params, GFLOPS at the variant's resolution).
const TORCHVISION: Record<EfficientNetVariant, [number, number]> = {
  b0: [5_288_548, 0.39], b1: [7_794_184, 0.69], b2: [9_109_994, 1.09], b3: [12_233_232, 1.83],
  b4: [19_341_616, 4.39], b5: [30_389_784, 10.27], b6: [43_040_704, 19.07], b7: [66_347_960, 37.75],
};

export const efficientnetSpecs: BackboneSpec[] = [
  ...(Object.keys(EFFICIENTNET_VARIANTS) as EfficientNetVariant[]).map((v): BackboneSpec => ({
    name: `efficientnet_${v}`, family: 'efficientnet', reference: REF,
    torchvisionParams: TORCHVISION[v][0], torchvisionGmacs: TORCHVISION[v][1],
    defaults: { inputShape: [EFFICIENTNET_VARIANTS[v].resolution, EFFICIENTNET_VARIANTS[v].resolution, 3], numClasses: 1000 },
    minInputSize: 1, knobs: [], hasFeatures: true,
    build: (c) => buildEfficientNetFrom(`efficientnet_${v}`, efficientNetVariantDefinition(v, c.inputShape, c.numClasses), c),
  })),
  {
    name: 'efficientnet_tiny', family: 'efficientnet', reference: `${REF}; the course's four-stage version for 28x28 digits`,
    defaults: { inputShape: [28, 28, 1], numClasses: 10 }, minInputSize: 8, knobs: ['widthMultiplier'], hasFeatures: true,
    build: (c) => buildEfficientNetFrom('efficientnet_tiny', efficientNetDefinition(c.inputShape, c.numClasses, { width: c.widthMultiplier, stages: EFFICIENTNET_TINY_STAGES, stemStride: 1 }), c),
  },
];
