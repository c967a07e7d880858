import * as tf from '@tensorflow/tfjs';
import { fail, positiveInt, positiveNumber, rate as checkRate, requiredName } from './check-options';
import { LayerNorm } from './layer-norm';
import { LayerScale } from './layer-scale';
import { MultiHeadAttention } from './multi-head-attention';
import { StochasticDepth } from './stochastic-depth';

export interface TransformerEncoderBlockOptions {
  numHeads: number;
  /** MLP hidden size as a multiple of the model dim (default 4: ViT-B's 3072 = 4 x 768). Ignored when `mlpDim` is given. */
  mlpRatio?: number;
  mlpDim?: number;
  /** Dropout after the attention and in the MLP (torchvision's `dropout`). */
  dropout?: number;
  /** Dropout on the attention weights (torchvision's `attention_dropout`). */
  attentionDropout?: number;
  /** Probability of dropping each residual branch per sample while training (0 = off). */
  stochasticDepth?: number;
  /** LayerScale's initial factor on both branches (e.g. 1e-5); null/undefined = no LayerScale (ViT has none). */
  layerScale?: number | null;
  /** LayerNorm epsilon (torchvision's ViT: 1e-6). */
  epsilon?: number;
  seed?: number;
  name: string;
}

/**
 * A pre-norm transformer encoder block as torchvision's ViT `EncoderBlock`:
 *
 *   x = x + drop(attn(LN1(x)))           attention branch
 *   x = x + mlp(LN2(x))                  mlp = Linear(D, mlpDim), GELU, dropout, Linear(mlpDim, D), dropout
 *
 * with optional LayerScale and stochastic depth on each branch (both off in
 * ViT-B). Norm before the branch keeps the shortcut an identity path from
 * input to output, which is why deep pre-norm stacks train without warm-up
 * tricks. LayerNorm is the course's own (tfjs-layers' is ~20x slower on wasm). Layer names: `${name}_ln_1`, `${name}_self_attention`, `${name}_ln_2`,
 * `${name}_mlp_1`, `${name}_mlp_2`, ... The attention layer outputs its weights
 * too, read from `attention` (for attention maps and rollout).
 */
export function transformerEncoderBlock(
  x: tf.SymbolicTensor,
  opts: TransformerEncoderBlockOptions,
): { output: tf.SymbolicTensor; attention: tf.SymbolicTensor } {
  const fn = 'transformerEncoderBlock';
  const name = requiredName(fn, opts.name);
  if (x.shape.length !== 3 || x.shape[2] == null) fail(fn, 'x', 'a token sequence [N, T, D] with D known', `shape [${x.shape.map((d) => d ?? 'null')}]`);
  const dim = x.shape[2] as number;
  const numHeads = positiveInt(fn, 'numHeads', opts.numHeads);
  if (dim % numHeads !== 0) {
    const allowed = Array.from({ length: dim }, (_, i) => i + 1).filter((h) => dim % h === 0);
    fail(fn, 'numHeads', `a divisor of the model dim ${dim} (allowed: ${allowed.join(', ')})`, numHeads);
  }
  const mlpDim = opts.mlpDim !== undefined ? positiveInt(fn, 'mlpDim', opts.mlpDim) : Math.round(dim * positiveNumber(fn, 'mlpRatio', opts.mlpRatio ?? 4));
  const dropout = checkRate(fn, 'dropout', opts.dropout ?? 0);
  const attentionDropout = checkRate(fn, 'attentionDropout', opts.attentionDropout ?? 0);
  const sd = checkRate(fn, 'stochasticDepth', opts.stochasticDepth ?? 0);
  const layerScale = opts.layerScale ?? null;
  const epsilon = opts.epsilon ?? 1e-6;
  const seed = opts.seed;
  const sub = (k: number) => (seed === undefined ? undefined : seed + k);
  const apply = (layer: tf.layers.Layer, t: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(t) as tf.SymbolicTensor;

  // torchvision's MLPBlock: xavier_uniform weights, biases N(0, 1e-6^2) (zeros here: the difference is below float noise).
  const branchEnd = (t: tf.SymbolicTensor, tag: string) => {
    let y = t;
    if (layerScale !== null) y = apply(new LayerScale({ initValue: layerScale, name: `${name}_${tag}_layer_scale` }), y);
    if (sd > 0) y = apply(new StochasticDepth({ rate: sd, name: `${name}_${tag}_stochastic_depth` }), y);
    return y;
  };

  const ln1 = apply(new LayerNorm({ epsilon, name: `${name}_ln_1` }), x);
  const [attnOut, attention] = new MultiHeadAttention({
    numHeads,
    dropout: attentionDropout,
    returnAttention: true,
    seed: sub(0),
    name: `${name}_self_attention`,
  }).apply(ln1) as tf.SymbolicTensor[];
  let a = attnOut;
  if (dropout > 0) a = apply(tf.layers.dropout({ rate: dropout, name: `${name}_dropout`, seed: sub(1) }), a);
  const x1 = apply(tf.layers.add({ name: `${name}_add_1` }), [x, branchEnd(a, 'attn')]);

  const ln2 = apply(new LayerNorm({ epsilon, name: `${name}_ln_2` }), x1);
  let m = apply(tf.layers.dense({ units: mlpDim, activation: 'gelu', kernelInitializer: tf.initializers.glorotUniform({ seed: sub(4) }), name: `${name}_mlp_1` }), ln2);
  if (dropout > 0) m = apply(tf.layers.dropout({ rate: dropout, name: `${name}_mlp_dropout_1`, seed: sub(5) }), m);
  m = apply(tf.layers.dense({ units: dim, kernelInitializer: tf.initializers.glorotUniform({ seed: sub(6) }), name: `${name}_mlp_2` }), m);
  if (dropout > 0) m = apply(tf.layers.dropout({ rate: dropout, name: `${name}_mlp_dropout_2`, seed: sub(7) }), m);
  const output = apply(tf.layers.add({ name: `${name}_add_2` }), [x1, branchEnd(m, 'mlp')]);
  return { output, attention };
}
