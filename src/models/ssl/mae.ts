import * as tf from '@tensorflow/tfjs';
import { LayerNorm, PatchEmbedding, PositionEmbedding, transformerEncoderBlock } from '../../nn/index';
import { fail } from '../../util/validate';
import { maeLoss, normalisePatches, patchStats } from './mae-loss';
import { MaskToken } from './mask-token';
import { checkMaskRatio, gatherTokens, patchify, randomMasking, scatterTokens, unpatchify, type PatchMask } from './patches';

/**
 * Masked autoencoder (He et al. 2022, "Masked Autoencoders Are Scalable Vision
 * Learners"; facebookresearch/mae `models_mae.py`), built from the course's
 * ViT pieces (`nn.PatchEmbedding`, `nn.transformerEncoderBlock`):
 *
 *   image → patch tokens + positions → keep a random (1 − ratio) of them
 *         → ENCODER on the visible tokens only → put them back, a learned mask
 *           token at every masked patch, positions again → small DECODER
 *         → pixels of every patch; the loss reads the masked patches only.
 *
 * Three tf.LayersModels hold the weights (`embed`, `encoder`, `decoder`), so
 * they save and load with the course's model files. The encoder takes any
 * number of tokens ([B, null, D]): at 75% masking of 49 patches it runs on 12.
 * Differences from the paper's code, for 28×28 digits: no class token (the
 * features are the mean of the encoder's tokens), and the fixed position
 * embedding is the 1-D sine-cosine table over the row-major patch index
 * (`nn.PositionEmbedding({init: 'sinusoidal'})`) instead of the 2-D one.
 */
export interface MaeConfig {
  inputShape: [number, number, number];
  patchSize: number;
  dim: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  decoderDim: number;
  decoderDepth: number;
  decoderHeads: number;
  /** Normalise each target patch by its own mean and variance (the paper's `norm_pix_loss`). */
  normPixLoss: boolean;
  seed: number;
}

/** MAE-tiny for 28×28 digits: 4×4 patches (49), encoder D 48 × 3 blocks, decoder D 32 × 1 block. */
export const MAE_TINY: MaeConfig = {
  inputShape: [28, 28, 1], patchSize: 4, dim: 48, depth: 3, numHeads: 3, mlpRatio: 2,
  decoderDim: 32, decoderDepth: 1, decoderHeads: 2, normPixLoss: false, seed: 1,
};

export interface MaeOutput {
  /** `[B, L, p·p·C]`: the decoder's pixels for every patch (normalised space with normPixLoss). */
  pred: tf.Tensor3D;
  /** `[B, L, p·p·C]`: the image's own patches (normalised with normPixLoss), what the loss compares with. */
  target: tf.Tensor3D;
  /** `[B, L]`: 1 = masked. */
  mask: tf.Tensor2D;
  /** `[B, K]` int32: the visible patches. */
  keep: tf.Tensor2D;
  /** `[B, K, D]`: the encoder's output for the visible tokens. */
  latent: tf.Tensor3D;
  loss: tf.Scalar;
}

export interface MaeForwardOptions {
  maskRatio?: number;
  /** Seed of this call's mask; or `noise` [B, L] to fix it exactly. */
  seed?: number;
  noise?: tf.Tensor2D;
  training?: boolean;
}

const CONFIG_KEYS = Object.keys(MAE_TINY) as (keyof MaeConfig)[];

function checkConfig(c: MaeConfig): void {
  for (const k of Object.keys(c)) if (!CONFIG_KEYS.includes(k as keyof MaeConfig)) fail('createMae', 'config', `made of ${CONFIG_KEYS.join(', ')} (no '${k}')`);
  const [h, w] = c.inputShape;
  if (h % c.patchSize !== 0 || w % c.patchSize !== 0) fail('createMae', 'patchSize', `a divisor of the image size ${h}x${w}`, String(c.patchSize));
  if (c.dim % c.numHeads !== 0) fail('createMae', 'numHeads', `a divisor of dim ${c.dim}`, String(c.numHeads));
  if (c.decoderDim % c.decoderHeads !== 0) fail('createMae', 'decoderHeads', `a divisor of decoderDim ${c.decoderDim}`, String(c.decoderHeads));
}

export class Mae {
  readonly config: MaeConfig;
  /** image → `[B, L, D]` patch tokens with their positions. */
  readonly embed: tf.LayersModel;
  /** `[B, K, D]` visible tokens → `[B, K, D]` (any K). */
  readonly encoder: tf.LayersModel;
  /** `[[B, L, D] tokens scattered back (zeros at masked), [B, L, 1] mask]` → `[B, L, p·p·C]`. */
  readonly decoder: tf.LayersModel;
  readonly grid: [number, number];
  readonly numPatches: number;

  constructor(config: MaeConfig, models?: { embed: tf.LayersModel; encoder: tf.LayersModel; decoder: tf.LayersModel }) {
    checkConfig(config);
    this.config = { ...config };
    const { inputShape, patchSize: p } = config;
    this.grid = [inputShape[0] / p, inputShape[1] / p];
    this.numPatches = this.grid[0] * this.grid[1];
    if (models) {
      ({ embed: this.embed, encoder: this.encoder, decoder: this.decoder } = models);
      return;
    }
    const s = config.seed;
    const image = tf.input({ shape: inputShape, name: 'image' });
    let t = new PatchEmbedding({ patchSize: p, dim: config.dim, seed: s * 100 + 1, name: 'patch_embed' }).apply(image) as tf.SymbolicTensor;
    t = new PositionEmbedding({ init: 'sinusoidal', name: 'pos_embed' }).apply(t) as tf.SymbolicTensor;
    this.embed = tf.model({ inputs: image, outputs: t, name: 'mae_embed' });

    const visible = tf.input({ shape: [null, config.dim], name: 'visible_tokens' });
    let e = visible;
    for (let i = 0; i < config.depth; i++) {
      e = transformerEncoderBlock(e, { numHeads: config.numHeads, mlpRatio: config.mlpRatio, seed: s * 100 + 10 + 10 * i, name: `encoder_block${i}` }).output;
    }
    e = new LayerNorm({ epsilon: 1e-6, name: 'encoder_norm' }).apply(e) as tf.SymbolicTensor;
    this.encoder = tf.model({ inputs: visible, outputs: e, name: 'mae_encoder' });

    const L = this.numPatches;
    const scattered = tf.input({ shape: [L, config.dim], name: 'scattered_tokens' });
    const maskIn = tf.input({ shape: [L, 1], name: 'mask' });
    let d = tf.layers.dense({ units: config.decoderDim, kernelInitializer: tf.initializers.glorotUniform({ seed: s * 100 + 60 }), name: 'decoder_embed' }).apply(scattered) as tf.SymbolicTensor;
    d = new MaskToken({ name: 'mask_token' }).apply([d, maskIn]) as tf.SymbolicTensor;
    d = new PositionEmbedding({ init: 'sinusoidal', name: 'decoder_pos_embed' }).apply(d) as tf.SymbolicTensor;
    for (let i = 0; i < config.decoderDepth; i++) {
      d = transformerEncoderBlock(d, { numHeads: config.decoderHeads, mlpRatio: config.mlpRatio, seed: s * 100 + 70 + 10 * i, name: `decoder_block${i}` }).output;
    }
    d = new LayerNorm({ epsilon: 1e-6, name: 'decoder_norm' }).apply(d) as tf.SymbolicTensor;
    d = tf.layers.dense({ units: p * p * inputShape[2], kernelInitializer: tf.initializers.glorotUniform({ seed: s * 100 + 99 }), name: 'decoder_pred' }).apply(d) as tf.SymbolicTensor;
    this.decoder = tf.model({ inputs: [scattered, maskIn], outputs: d, name: 'mae_decoder' });
  }

  /** Every trainable variable (encoder side, decoder side, the mask token). */
  get variables(): tf.Variable[] {
    return [this.embed, this.encoder, this.decoder].flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  countParams(): number {
    return this.embed.countParams() + this.encoder.countParams() + this.decoder.countParams();
  }

  /** The encoder's features of whole images (no masking): the mean of its tokens, `[B, D]`. */
  features(xs: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => tf.mean(this.encoder.apply(this.embed.apply(xs)) as tf.Tensor3D, 1) as tf.Tensor2D);
  }

  /** Encoder on the visible patches, decoder on all of them; the caller disposes the outputs. */
  forward(xs: tf.Tensor4D, opts: MaeForwardOptions = {}): MaeOutput {
    const ratio = checkMaskRatio('Mae.forward', opts.maskRatio ?? 0.75);
    const [, h, w, c] = xs.shape;
    const [eh, ew, ec] = this.config.inputShape;
    if (xs.rank !== 4 || h !== eh || w !== ew || c !== ec) fail('Mae.forward', 'xs', `an image batch [B, ${eh}, ${ew}, ${ec}]`, `shape [${xs.shape}]`);
    const training = opts.training ?? false;
    const b = xs.shape[0];
    return tf.tidy(() => {
      const tokens = this.embed.apply(xs, { training }) as tf.Tensor3D;
      const m: PatchMask = randomMasking(b, this.numPatches, ratio, { seed: opts.seed, noise: opts.noise });
      const latent = this.encoder.apply(gatherTokens(tokens, m.keep), { training }) as tf.Tensor3D;
      const scattered = scatterTokens(latent, m.keep, this.numPatches);
      const pred = this.decoder.apply([scattered, m.mask.expandDims(2)], { training }) as tf.Tensor3D;
      const pixels = patchify(xs, this.config.patchSize);
      const target = (this.config.normPixLoss ? normalisePatches(pixels) : pixels) as tf.Tensor3D;
      // the target is already normalised here, so the loss compares as is
      const loss = maeLoss(pred, target, m.mask);
      return { pred, target, mask: m.mask, keep: m.keep, latent, loss };
    });
  }

  /** The loss of one batch with a fresh mask: what a training step minimises. */
  loss(xs: tf.Tensor4D, opts: MaeForwardOptions = {}): tf.Scalar {
    return tf.tidy(() => this.forward(xs, { ...opts, training: opts.training ?? true }).loss);
  }

  /**
   * Images for the page: `masked` (visible patches, masked ones 0), `reconstruction`
   * (the decoder's pixels) and `pasted` (visible patches kept, masked ones from the
   * decoder), each `[B, H, W, C]`. With normPixLoss the predictions are mapped
   * back with each patch's own mean and variance, as the paper's figures do.
   */
  reconstruct(xs: tf.Tensor4D, opts: MaeForwardOptions = {}): { masked: tf.Tensor4D; reconstruction: tf.Tensor4D; pasted: tf.Tensor4D; loss: tf.Scalar; mask: tf.Tensor2D } {
    return tf.tidy(() => {
      const out = this.forward(xs, opts);
      const p = this.config.patchSize;
      const c = this.config.inputShape[2];
      let pred: tf.Tensor = out.pred;
      const pixels = patchify(xs, p);
      if (this.config.normPixLoss) {
        const { mean, std } = patchStats(pixels);
        pred = tf.add(tf.mul(pred, std), mean);
      }
      const m = out.mask.expandDims(2);
      const masked = unpatchify(tf.mul(pixels, tf.sub(1, m)), p, this.grid, c);
      const reconstruction = unpatchify(pred.clipByValue(0, 1), p, this.grid, c);
      const pasted = unpatchify(tf.add(tf.mul(pixels, tf.sub(1, m)), tf.mul(pred.clipByValue(0, 1), m)), p, this.grid, c);
      return { masked, reconstruction, pasted, loss: out.loss, mask: out.mask };
    });
  }

  dispose(): void {
    this.embed.dispose();
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** A fresh MAE; `config` overrides MAE_TINY's fields. */
export function createMae(config: Partial<MaeConfig> = {}): Mae {
  return new Mae({ ...MAE_TINY, ...config });
}
