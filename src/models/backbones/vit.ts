import * as tf from '@tensorflow/tfjs';
import { fail, oneOf, positiveInt, rate as checkRate } from '../../nn/check-options';
import { ClassToken } from '../../nn/class-token';
import { LayerNorm } from '../../nn/layer-norm';
import { MultiHeadAttention } from '../../nn/multi-head-attention';
import { PatchEmbedding } from '../../nn/patch-embedding';
import { PositionEmbedding } from '../../nn/position-embedding';
import { TakeToken } from '../../nn/take-token';
import { TokenGrid } from '../../nn/token-grid';
import { transformerEncoderBlock } from '../../nn/transformer-encoder-block';
import { stageName, type BackboneSpec } from './common';
import type { BackboneOptions } from './index';

/**
 * Vision Transformer (Dosovitskiy et al. 2021, "An Image is Worth 16x16
 * Words") laid out as torchvision's `VisionTransformer`
 * (torchvision/models/vision_transformer.py): `conv_proj` patch embedding,
 * a zero-initialised class token in front, a learned position embedding over
 * all patches + 1, dropout, `depth` pre-norm encoder blocks, a final
 * LayerNorm (eps 1e-6), the class token's state into a zero-initialised
 * Linear head. Channels-last; the head outputs logits.
 *
 * With `stemChannels` it is the hybrid of Xiao et al. 2021 ("Early
 * Convolutions Help Transformers See Better"), torchvision's
 * `conv_stem_configs`: 3x3 stride-2 conv-BN-ReLU stages, then a 1x1 conv to
 * the token dim (the patch embedding with patch size 1 over the stem's map).
 *
 * `features: true` returns the last encoder layer's patch tokens laid back on
 * their grid as one map [N, H/s, W/s, D] at the patch stride s (the class
 * token dropped), as ViTDet feeds a plain ViT to a detector: vit_b_16 gives
 * one 14x14x768 map at stride 16 named C4, vit_tiny (7x7 patches) a 4x4 map
 * at stride 7 named S7 (names by stride: common.ts stageName). A ViT has no
 * stride 4..32 pyramid of its own; a neck builds one from this single map
 * (ViTDet's simple feature pyramid) or a detector reads it as one level.
 */
export interface VisionTransformerConfig {
  inputShape: [number, number, number];
  numClasses: number;
  patchSize: number;
  dim: number;
  depth: number;
  numHeads: number;
  mlpDim: number;
  dropout?: number;
  attentionDropout?: number;
  stochasticDepth?: number;
  positionEmbedding?: 'learned' | 'sinusoidal';
  stemChannels?: number[];
  features?: boolean;
  seed?: number;
  name: string;
  /** The patch size is part of the model (vit_b_16): a bad image size is then the input shape's fault. */
  fixedPatch?: boolean;
}

const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

function checkInputShape(fn: string, s: unknown): [number, number, number] {
  const ok = Array.isArray(s) && s.length === 3 && s.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) fail(fn, 'inputShape', 'an image shape [H, W, C] of whole numbers > 0', s);
  return s as [number, number, number];
}

export function visionTransformer(cfg: VisionTransformerConfig): tf.LayersModel {
  const fn = cfg.name;
  const [h, w, c] = checkInputShape(fn, cfg.inputShape);
  const numClasses = positiveInt(fn, 'numClasses', cfg.numClasses);
  const patch = positiveInt(fn, 'patchSize', cfg.patchSize);
  const dim = positiveInt(fn, 'dim', cfg.dim);
  const depth = positiveInt(fn, 'depth', cfg.depth);
  const numHeads = positiveInt(fn, 'numHeads', cfg.numHeads);
  if (dim % numHeads !== 0) fail(fn, 'numHeads', `a divisor of dim ${dim} (allowed: ${divisors(dim).join(', ')})`, numHeads);
  const mlpDim = positiveInt(fn, 'mlpDim', cfg.mlpDim);
  const dropout = checkRate(fn, 'dropout', cfg.dropout ?? 0);
  const attentionDropout = checkRate(fn, 'attentionDropout', cfg.attentionDropout ?? 0);
  const sdMax = checkRate(fn, 'stochasticDepth', cfg.stochasticDepth ?? 0);
  const posInit = oneOf(fn, 'positionEmbedding', cfg.positionEmbedding ?? 'learned', ['learned', 'sinusoidal'] as const);
  const seed = cfg.seed ?? 0;
  const stem = cfg.stemChannels ?? [];
  if (!Array.isArray(stem)) fail(fn, 'stemChannels', 'a list of channel counts', stem);
  stem.forEach((ch, i) => positiveInt(fn, `stemChannels[${i}]`, ch));

  const tokenPatch = stem.length ? 1 : patch;
  if (!stem.length && (h % patch !== 0 || w % patch !== 0)) {
    if (cfg.fixedPatch) fail(fn, 'inputShape', `an image whose height and width are multiples of the patch size ${patch} (e.g. [224, 224, 3])`, cfg.inputShape);
    const allowed = divisors(h).filter((p) => w % p === 0);
    fail(fn, 'patchSize', `a divisor of the image size ${h}x${w} (allowed: ${allowed.join(', ')})`, patch);
  }

  const input = tf.input({ shape: [h, w, c], name: 'image' });
  let x: tf.SymbolicTensor = input;
  let mapH = h, mapW = w;
  stem.forEach((ch, i) => {
    x = tf.layers.conv2d({ filters: ch, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: seed + 900 + i }), name: `conv_bn_relu_${i}_conv` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9, name: `conv_bn_relu_${i}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `conv_bn_relu_${i}_relu` }).apply(x) as tf.SymbolicTensor;
    // 'same' padding with stride 2: ceil(n / 2).
    mapH = Math.ceil(mapH / 2);
    mapW = Math.ceil(mapW / 2);
  });
  const gridH = mapH / tokenPatch, gridW = mapW / tokenPatch;
  let t = new PatchEmbedding({ patchSize: tokenPatch, dim, seed: seed + 1, name: stem.length ? 'conv_last' : 'conv_proj' }).apply(x) as tf.SymbolicTensor;
  t = new ClassToken({ name: 'class_token' }).apply(t) as tf.SymbolicTensor;
  t = new PositionEmbedding({ init: posInit, seed: seed + 2, name: 'pos_embedding' }).apply(t) as tf.SymbolicTensor;
  if (dropout > 0) t = tf.layers.dropout({ rate: dropout, seed: seed + 3, name: 'encoder_dropout' }).apply(t) as tf.SymbolicTensor;
  for (let i = 0; i < depth; i++) {
    // Stochastic depth grows linearly with depth (Huang et al.; DeiT), 0 at the first block.
    const sd = depth > 1 ? (sdMax * i) / (depth - 1) : sdMax;
    t = transformerEncoderBlock(t, { numHeads, mlpDim, dropout, attentionDropout, stochasticDepth: sd, seed: seed + 100 + 10 * i, name: `encoder_layer_${i}` }).output;
  }
  t = new LayerNorm({ epsilon: 1e-6, name: 'encoder_ln' }).apply(t) as tf.SymbolicTensor;
  if (cfg.features) {
    const stride = h / gridH;
    const map = new TokenGrid({ gridHeight: gridH, gridWidth: gridW, skip: 1, name: stageName(stride) }).apply(t) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: map, name: `${fn}_features` });
  }
  const cls = new TakeToken({ index: 0, name: 'class_token_state' }).apply(t) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: 'zeros', name: 'head' }).apply(cls) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: fn });
}

/**
 * A model sharing `vit`'s layers (no copy of the weights) whose outputs are
 * `[logits, attention of block 0, ..., attention of block L-1]`, each
 * attention [N, heads, T, T], for attention maps and `nn.attentionRollout`.
 * Disposing it would dispose the shared weights: let it go without dispose.
 */
export function vitAttentionModel(vit: tf.LayersModel): tf.LayersModel {
  const attn = vit.layers.filter((l) => l instanceof MultiHeadAttention) as MultiHeadAttention[];
  if (attn.length === 0) fail('vitAttentionModel', 'vit', 'a model with MultiHeadAttention layers (a ViT from buildBackbone)', vit?.name);
  const weights = attn.map((l) => {
    const out = l.output;
    if (!Array.isArray(out) || out.length !== 2) fail('vitAttentionModel', 'vit', 'attention layers built with returnAttention: true', l.name);
    return out[1];
  });
  return tf.model({ inputs: vit.inputs, outputs: [...vit.outputs, ...weights], name: `${vit.name}_attention` });
}

/** The ViT knobs on top of the common backbone options (vit_tiny, vit_hybrid_tiny read all of them; vit_b_* the regularisers). */
export interface VitOptions extends BackboneOptions {
  patchSize?: number;
  dim?: number;
  numHeads?: number;
  mlpRatio?: number;
  dropout?: number;
  attentionDropout?: number;
  stochasticDepth?: number;
  positionEmbedding?: 'learned' | 'sinusoidal';
  /** vit_hybrid_tiny: channels of each 3x3 stride-2 conv-BN-ReLU stage of the CNN stem (default [16, 32]: 28 -> 7, 49 tokens). */
  stemChannels?: number[];
}

const pick = (o: VitOptions, fallback: Partial<VisionTransformerConfig>) => ({
  inputShape: o.inputShape ?? fallback.inputShape,
  numClasses: o.numClasses ?? fallback.numClasses,
  dropout: o.dropout ?? 0,
  attentionDropout: o.attentionDropout ?? 0,
  stochasticDepth: o.stochasticDepth ?? 0,
  positionEmbedding: o.positionEmbedding ?? 'learned',
  seed: o.seed,
  features: o.features,
});

/** torchvision's ViT-B: 12 layers, 12 heads, D 768, MLP 3072. */
function vitB(name: string, patchSize: number) {
  return (o: VitOptions) =>
    visionTransformer({
      ...pick(o, { inputShape: [224, 224, 3], numClasses: 1000 }),
      patchSize,
      dim: 768,
      depth: 12,
      numHeads: 12,
      mlpDim: 3072,
      name,
      fixedPatch: true,
    } as VisionTransformerConfig);
}

/** The small ViT the lessons train on 28x28 digits: every size a knob. */
function vitTiny(name: string, hybrid: boolean) {
  return (o: VitOptions) => {
    const dim = o.dim ?? 64;
    const mlpRatio = o.mlpRatio ?? 2;
    if (!(typeof mlpRatio === 'number' && mlpRatio > 0)) fail(name, 'mlpRatio', 'a number > 0', mlpRatio);
    return visionTransformer({
      ...pick(o, { inputShape: [28, 28, 1], numClasses: 10 }),
      patchSize: o.patchSize ?? (hybrid ? 1 : 7),
      dim,
      depth: o.depth ?? 4,
      numHeads: o.numHeads ?? 4,
      mlpDim: Math.max(1, Math.round(dim * mlpRatio)),
      stemChannels: hybrid ? (o.stemChannels ?? [16, 32]) : undefined,
      name,
    } as VisionTransformerConfig);
  };
}

const TINY_OPTIONS = ['patchSize', 'dim', 'numHeads', 'mlpRatio', 'dropout', 'attentionDropout', 'stochasticDepth', 'positionEmbedding'] as const;
const anyDepth = { check: (d: number) => Number.isInteger(d) && d >= 1, describe: 'a whole number >= 1 (encoder layers)', default: 4 };

/**
 * The ViT entries of the zoo. `features: true` gives one map, the token grid
 * at the patch stride (see visionTransformer); the attention maps come from
 * `vitAttentionModel`.
 */
export const vitSpecs: BackboneSpec[] = [
  {
    name: 'vit_b_16', family: 'vit', reference: 'Dosovitskiy et al. 2021; torchvision.models.vit_b_16',
    torchvisionParams: 86_567_656, torchvisionGmacs: 17.56,
    defaults: { inputShape: [224, 224, 3], numClasses: 1000 }, minInputSize: 16, knobs: [], hasFeatures: true,
    extraOptions: ['dropout', 'attentionDropout', 'stochasticDepth'],
    build: vitB('vit_b_16', 16),
  },
  {
    name: 'vit_b_32', family: 'vit', reference: 'Dosovitskiy et al. 2021; torchvision.models.vit_b_32',
    torchvisionParams: 88_224_232, torchvisionGmacs: 4.41,
    defaults: { inputShape: [224, 224, 3], numClasses: 1000 }, minInputSize: 32, knobs: [], hasFeatures: true,
    extraOptions: ['dropout', 'attentionDropout', 'stochasticDepth'],
    build: vitB('vit_b_32', 32),
  },
  {
    name: 'vit_tiny', family: 'vit',
    reference: 'ViT (Dosovitskiy et al. 2021) scaled down for 28x28 digits: patchSize (7), dim (64), depth (4), numHeads (4), mlpRatio (2)',
    defaults: { inputShape: [28, 28, 1], numClasses: 10 }, minInputSize: 1, knobs: ['depth'], depths: anyDepth, hasFeatures: true,
    extraOptions: TINY_OPTIONS,
    build: vitTiny('vit_tiny', false),
  },
  {
    name: 'vit_hybrid_tiny', family: 'vit',
    reference: 'ViT with a conv stem (Xiao et al. 2021; torchvision conv_stem_configs) for 28x28 digits: stemChannels ([16, 32]) then 1x1 tokens',
    defaults: { inputShape: [28, 28, 1], numClasses: 10 }, minInputSize: 4, knobs: ['depth'], depths: anyDepth, hasFeatures: true,
    extraOptions: [...TINY_OPTIONS, 'stemChannels'],
    build: vitTiny('vit_hybrid_tiny', true),
  },
];
