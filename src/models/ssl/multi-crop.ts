import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../util/random';
import { fail } from '../../util/validate';

/**
 * DINO's multi-crop (Caron et al. 2020/2021): two GLOBAL crops covering most of
 * the image and several LOCAL crops covering small parts, each a random resized
 * crop (area fraction from `scale`, aspect ratio log-uniform in [3/4, 4/3], as
 * torchvision's `RandomResizedCrop`), with a random brightness factor. The
 * teacher sees only the global crops and the student all of them, so the
 * student must tell from a small part what the teacher sees in the whole.
 * Every crop is resized to `outputSize` (the paper shrinks local crops to 96 px
 * only to save compute; at 28 × 28 there is nothing to save, and one size lets
 * one network with one position table read every crop).
 */
export interface MultiCropOptions {
  globalCrops?: number;
  localCrops?: number;
  /** Area fractions of a global crop (DINO: [0.4, 1]; for digits [0.5, 1]). */
  globalScale?: [number, number];
  /** Area fractions of a local crop (DINO: [0.05, 0.4]; for digits [0.15, 0.45]). */
  localScale?: [number, number];
  /** Brightness factor range (default [0.7, 1.3]). */
  brightness?: [number, number];
  outputSize?: [number, number];
  seed: number;
}

function checkScale(arg: string, s: [number, number]): void {
  if (!Array.isArray(s) || s.length !== 2 || !(s[0] > 0 && s[0] <= s[1] && s[1] <= 1)) fail('multiCrop', arg, 'a range [lo, hi] with 0 < lo <= hi <= 1', JSON.stringify(s));
}

/** `[B, H, W, C]` → the crops, global ones first, each `[B, h, w, C]`; the caller disposes them. */
export function multiCrop(xs: tf.Tensor4D, opts: MultiCropOptions): tf.Tensor4D[] {
  const globalCrops = opts.globalCrops ?? 2;
  const localCrops = opts.localCrops ?? 4;
  if (!Number.isInteger(globalCrops) || globalCrops < 1) fail('multiCrop', 'globalCrops', 'a whole number >= 1', String(globalCrops));
  if (!Number.isInteger(localCrops) || localCrops < 0) fail('multiCrop', 'localCrops', 'a whole number >= 0', String(localCrops));
  const globalScale = opts.globalScale ?? [0.5, 1];
  const localScale = opts.localScale ?? [0.15, 0.45];
  checkScale('globalScale', globalScale);
  checkScale('localScale', localScale);
  const [blo, bhi] = opts.brightness ?? [0.7, 1.3];
  const size = opts.outputSize ?? [xs.shape[1], xs.shape[2]];
  const rng = createRng(opts.seed);
  const b = xs.shape[0];
  const crop = (scale: [number, number]) => {
    const boxes: number[] = [];
    const factors: number[] = [];
    for (let i = 0; i < b; i++) {
      const area = rng.uniform(scale[0], scale[1]);
      const ratio = Math.exp(rng.uniform(Math.log(3 / 4), Math.log(4 / 3)));
      const ch = Math.min(1, Math.sqrt(area / ratio));
      const cw = Math.min(1, Math.sqrt(area * ratio));
      const y0 = rng.uniform(0, 1 - ch);
      const x0 = rng.uniform(0, 1 - cw);
      boxes.push(y0, x0, y0 + ch, x0 + cw);
      factors.push(rng.uniform(blo, bhi));
    }
    return tf.tidy(() => {
      const cropped = tf.image.cropAndResize(xs, tf.tensor2d(boxes, [b, 4]), tf.range(0, b, 1, 'int32') as tf.Tensor1D, size, 'bilinear');
      return tf.clipByValue(tf.mul(cropped, tf.tensor4d(factors, [b, 1, 1, 1])), 0, 1) as tf.Tensor4D;
    });
  };
  return [...Array.from({ length: globalCrops }, () => crop(globalScale)), ...Array.from({ length: localCrops }, () => crop(localScale))];
}
