import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/**
 * MAE's bookkeeping of patches (He et al. 2022; facebookresearch/mae
 * `models_mae.py`: `patchify`, `unpatchify`, `random_masking`), channels-last.
 * Token l of an image is patch (l / gw, l % gw), row-major, the order
 * `nn.PatchEmbedding` reads the grid in, so pixel targets and tokens line up.
 */

function checkImages(op: string, xs: tf.Tensor, p: number): [number, number, number, number] {
  if (!(xs instanceof tf.Tensor) || xs.rank !== 4) fail(op, 'xs', 'an image batch [B, H, W, C]', xs instanceof tf.Tensor ? `shape [${xs.shape}]` : String(xs));
  if (!Number.isInteger(p) || p < 1) fail(op, 'patchSize', 'a whole number >= 1', String(p));
  const [b, h, w, c] = xs.shape as [number, number, number, number];
  if (h % p !== 0 || w % p !== 0) fail(op, 'patchSize', `a divisor of the image size ${h}x${w}`, String(p));
  return [b, h, w, c];
}

/** `[B, H, W, C]` → `[B, L, p·p·C]`: each patch's pixels row by row, channels last (MAE's `patchify`). */
export function patchify(xs: tf.Tensor, patchSize: number): tf.Tensor3D {
  const [b, h, w, c] = checkImages('patchify', xs, patchSize);
  const p = patchSize;
  return tf.tidy(() =>
    xs
      .reshape([b * (h / p), p, w / p, p * c])
      .transpose([0, 2, 1, 3])
      .reshape([b, (h / p) * (w / p), p * p * c]) as tf.Tensor3D,
  );
}

/** `[B, L, p·p·C]` → `[B, H, W, C]`, the inverse of `patchify` for a `gh × gw` grid. */
export function unpatchify(patches: tf.Tensor, patchSize: number, grid: [number, number], channels = 1): tf.Tensor4D {
  const [gh, gw] = grid;
  const p = patchSize;
  if (!(patches instanceof tf.Tensor) || patches.rank !== 3 || patches.shape[1] !== gh * gw || patches.shape[2] !== p * p * channels) {
    fail('unpatchify', 'patches', `a [B, ${gh * gw}, ${p * p * channels}] tensor for a ${gh}x${gw} grid of ${p}x${p}x${channels} patches`, patches instanceof tf.Tensor ? `shape [${patches.shape}]` : String(patches));
  }
  const b = patches.shape[0];
  return tf.tidy(() => patches.reshape([b * gh, gw, p, p * channels]).transpose([0, 2, 1, 3]).reshape([b, gh * p, gw * p, channels]) as tf.Tensor4D);
}

/** The number of patches MAE keeps: `int(L · (1 − ratio))` as `random_masking` computes it, at least one. */
export function visibleCount(numPatches: number, maskRatio: number): number {
  checkMaskRatio('visibleCount', maskRatio);
  return Math.max(1, Math.floor(numPatches * (1 - maskRatio)));
}

/** A mask ratio must lie strictly between 0 and 1: 0 hides nothing to predict, 1 leaves the encoder nothing to see. */
export function checkMaskRatio(op: string, maskRatio: unknown): number {
  if (typeof maskRatio !== 'number' || !(maskRatio > 0 && maskRatio < 1)) {
    fail(op, 'maskRatio', 'a number strictly between 0 and 1 (the paper uses 0.75: 0 leaves nothing to predict, 1 leaves the encoder nothing to see)', String(maskRatio));
  }
  return maskRatio;
}

export interface PatchMask {
  /** `[B, K]` int32: the visible patches of each image, K = visibleCount(L, ratio). */
  keep: tf.Tensor2D;
  /** `[B, L]` float32: 1 where the patch is masked (hidden from the encoder), 0 where visible. */
  mask: tf.Tensor2D;
}

/**
 * MAE's per-sample random masking: draw noise per patch, keep the K patches of
 * lowest noise (a uniformly random subset of size K), mask the rest. `noise`
 * `[B, L]` may be given to fix the mask (tests, the page's fixed examples);
 * otherwise it is drawn from `seed`.
 */
export function randomMasking(batch: number, numPatches: number, maskRatio: number, opts: { seed?: number; noise?: tf.Tensor2D } = {}): PatchMask {
  const k = visibleCount(numPatches, checkMaskRatio('randomMasking', maskRatio));
  if (opts.noise && (opts.noise.shape[0] !== batch || opts.noise.shape[1] !== numPatches)) {
    fail('randomMasking', 'noise', `a [${batch}, ${numPatches}] tensor`, `shape [${opts.noise.shape}]`);
  }
  return tf.tidy(() => {
    const noise = opts.noise ?? tf.randomUniform([batch, numPatches], 0, 1, 'float32', opts.seed);
    // topk of -noise = the K smallest noises, as MAE's argsort(noise)[:, :K].
    const { indices } = tf.topk(tf.neg(noise), k, true);
    const visible = tf.sum(tf.oneHot(indices as tf.Tensor2D, numPatches), 1);
    return { keep: indices as tf.Tensor2D, mask: tf.sub(1, visible) as tf.Tensor2D };
  });
}

/**
 * `tokens [B, L, D]`, `keep [B, K]` → `[B, K, D]`, the kept tokens in keep's
 * order. A one-hot matrix product instead of a gather, so the gradient flows
 * on every backend and the same matrix (transposed) puts them back.
 */
export function gatherTokens(tokens: tf.Tensor, keep: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => tf.matMul(tf.oneHot(keep, tokens.shape[1] as number), tokens as tf.Tensor3D) as tf.Tensor3D);
}

/** `[B, K, D]` → `[B, L, D]`: each kept token back at its patch, zeros at masked patches (MAE's unshuffle by `ids_restore`). */
export function scatterTokens(visible: tf.Tensor, keep: tf.Tensor2D, numPatches: number): tf.Tensor3D {
  return tf.tidy(() => tf.matMul(tf.oneHot(keep, numPatches), visible as tf.Tensor3D, true, false) as tf.Tensor3D);
}
