import * as tf from '@tensorflow/tfjs';
import { LayerNorm } from './layer-norm';
import { PatchMergingGather } from './patch-merging';
import { toPair, type Pair } from './swin-geometry';
import { WindowAttention } from './window-attention';

/**
 * Swin Transformer pieces (Liu et al. 2021, "Swin Transformer: Hierarchical Vision
 * Transformer using Shifted Windows"), following torchvision's
 * `torchvision/models/swin_transformer.py` (V1): functional builders over
 * `tf.SymbolicTensor` in `[B, H, W, C]` layout, so a Swin is a plain
 * `tf.LayersModel` that trains with the course loop on every backend.
 */
export {
  windowPartition,
  windowReverse,
  relativePositionIndex,
  relativePositionIndexValues,
  shiftedWindowMask,
  shiftedWindowRegionValues,
  paddedSize,
  effectiveShift,
  roll2d,
  type Pair,
} from './swin-geometry';
export { WindowAttention, type WindowAttentionArgs } from './window-attention';
export { PatchMergingGather } from './patch-merging';
export { LayerNorm } from './layer-norm';

const LN_EPS = 1e-5; // torchvision: partial(nn.LayerNorm, eps=1e-5)

function layerNorm(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return new LayerNorm({ epsilon: LN_EPS, name }).apply(x) as tf.SymbolicTensor;
}

function linear(x: tf.SymbolicTensor, units: number, name: string, seed: number, opts: { useBias?: boolean; activation?: 'gelu' } = {}): tf.SymbolicTensor {
  return tf.layers
    .dense({
      units,
      useBias: opts.useBias ?? true,
      activation: opts.activation,
      kernelInitializer: tf.initializers.truncatedNormal({ stddev: 0.02, seed }),
      biasInitializer: 'zeros',
      name,
    })
    .apply(x) as tf.SymbolicTensor;
}

export interface SwinBlockOptions {
  numHeads: number;
  windowSize: number | Pair;
  /** 0 for a W-MSA block, M // 2 for the SW-MSA block that follows it. */
  shiftSize: number | Pair;
  mlpRatio?: number;
  seed?: number;
  name: string;
}

/**
 * One Swin block (torchvision `SwinTransformerBlock`), pre-norm:
 * x + W-MSA(LN(x)), then x + MLP(LN(x)) with MLP = Linear(C → rC), GELU, Linear(rC → C).
 * (torchvision's dropout and stochastic depth default to 0 / are training-only
 * and left out here; they change no parameter or MAC.)
 */
export function swinBlock(x: tf.SymbolicTensor, o: SwinBlockOptions): tf.SymbolicTensor {
  const c = x.shape[3];
  if (c == null) throw new Error(`swinBlock ${o.name}: the input's channel count must be known.`);
  const seed = o.seed ?? 1;
  const attn = new WindowAttention({ numHeads: o.numHeads, windowSize: o.windowSize, shiftSize: o.shiftSize, seed, name: `${o.name}_attn` });
  let h = layerNorm(x, `${o.name}_norm1`);
  h = attn.apply(h) as tf.SymbolicTensor;
  const y = tf.layers.add({ name: `${o.name}_add1` }).apply([x, h]) as tf.SymbolicTensor;
  let m = layerNorm(y, `${o.name}_norm2`);
  m = linear(m, Math.round(c * (o.mlpRatio ?? 4)), `${o.name}_mlp_fc1`, seed * 10 + 5, { activation: 'gelu' });
  m = linear(m, c, `${o.name}_mlp_fc2`, seed * 10 + 6);
  return tf.layers.add({ name: `${o.name}_add2` }).apply([y, m]) as tf.SymbolicTensor;
}

/** Patch merging (torchvision `PatchMerging`): 2 × 2 gather, LayerNorm(4C), Linear(4C → 2C, no bias). Halves H and W, doubles C. */
export function patchMerging(x: tf.SymbolicTensor, o: { name: string; seed?: number }): tf.SymbolicTensor {
  const c = x.shape[3];
  if (c == null) throw new Error(`patchMerging ${o.name}: the input's channel count must be known.`);
  let y = new PatchMergingGather({ name: `${o.name}_gather` }).apply(x) as tf.SymbolicTensor;
  y = layerNorm(y, `${o.name}_norm`);
  return linear(y, 2 * c, `${o.name}_reduction`, (o.seed ?? 1) * 10 + 7, { useBias: false });
}

/** Patch embedding (torchvision `features[0]`): Conv k = s = patch, then LayerNorm, channels-last already. */
export function patchEmbed(x: tf.SymbolicTensor, o: { patchSize: number | Pair; embedDim: number; name: string; seed?: number }): tf.SymbolicTensor {
  const patch = toPair('patchEmbed', 'patchSize', o.patchSize);
  const conv = tf.layers.conv2d({
    filters: o.embedDim,
    kernelSize: patch,
    strides: patch,
    padding: 'valid',
    useBias: true,
    kernelInitializer: tf.initializers.heUniform({ seed: (o.seed ?? 1) * 10 + 8 }),
    name: `${o.name}_conv`,
  });
  return layerNorm(conv.apply(x) as tf.SymbolicTensor, `${o.name}_norm`);
}

export interface SwinStageOptions {
  depth: number;
  numHeads: number;
  windowSize: number | Pair;
  mlpRatio?: number;
  seed?: number;
  name: string;
}

/**
 * A stage: `depth` blocks alternating shift 0 and M // 2 (torchvision
 * `shift_size=[0 if i % 2 == 0 else w // 2 ...]`). Patch merging between stages is
 * the caller's, as in torchvision's `features` list.
 */
export function swinStage(x: tf.SymbolicTensor, o: SwinStageOptions): tf.SymbolicTensor {
  if (!Number.isInteger(o.depth) || o.depth < 1) throw new Error(`swinStage ${o.name}: 'depth' must be a positive integer, got ${o.depth}.`);
  const window = toPair('swinStage', 'windowSize', o.windowSize);
  let y = x;
  for (let i = 0; i < o.depth; i++) {
    const shift: Pair = i % 2 === 0 ? [0, 0] : [Math.floor(window[0] / 2), Math.floor(window[1] / 2)];
    y = swinBlock(y, { numHeads: o.numHeads, windowSize: window, shiftSize: shift, mlpRatio: o.mlpRatio, seed: (o.seed ?? 1) * 100 + i, name: `${o.name}_block${i}` });
  }
  return y;
}
