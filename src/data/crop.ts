import * as tf from '@tensorflow/tfjs';
import { createRng } from '../util/random';
import { resampleRegion } from './resize';

/** Where the crop window sits: [ax, ay] in [0, 1], 0 = left/top edge, 1 = right/bottom edge. */
export type CropPosition = 'centre' | 'random' | [number, number];

export interface CropOptions {
  /** 'centre' (default), a fixed [ax, ay], or 'random': a seeded position per image. */
  position?: CropPosition;
  /** Seed of the per-image positions when `position` is 'random' (default 0). */
  seed?: number;
}

/**
 * Crops a window of each image and stretches it back to the full size: a zoom.
 * `fraction` is the part of each side cut away (0 = unchanged, 0.25 keeps a
 * window 3/4 as wide and tall, enlarged 4/3 times). Bilinear, pixel centres at
 * i + 0.5, in plain JS so every backend gives the same bytes; samples near the
 * window's edge blend in the pixels just outside it, as cropping a continuous
 * image would. Used to show how an MLP and a CNN cope with a change of scale.
 *
 * @example
 * const zoomed = cropImages(xs, 0.2);                               // centred, 20% cut away
 * const corner = cropImages(xs, 0.2, { position: [0, 0] });         // window at the top-left
 * const jitter = cropImages(xs, 0.2, { position: 'random', seed: 1 });
 */
export function cropImages(xs: tf.Tensor4D, fraction: number, options: CropOptions = {}): tf.Tensor4D {
  const { position = 'centre', seed = 0 } = options;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction >= 1) {
    throw new Error(`cropImages: 'fraction' must be a number in [0, 1), got ${fraction}.`);
  }
  if (Array.isArray(position) ? !position.every((a) => Number.isFinite(a) && a >= 0 && a <= 1) : position !== 'centre' && position !== 'random') {
    throw new Error(`cropImages: 'position' must be 'centre', 'random' or [ax, ay] in [0, 1], got ${JSON.stringify(position)}.`);
  }
  const [n, h, w, c] = xs.shape;
  const raw = xs.dataSync();
  const src = raw instanceof Float32Array ? raw : Float32Array.from(raw);
  const out = new Float32Array(src.length);
  const keep = 1 - fraction;
  const scale: [number, number] = [1 / keep, 1 / keep];
  const full = { x: 0, y: 0, width: w, height: h };
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) {
    const [ax, ay] = position === 'centre' ? [0.5, 0.5] : position === 'random' ? [rng.next(), rng.next()] : position;
    // The window's top-left corner, in source pixels; the canvas scaled by 1/keep
    // puts it at the origin once shifted by -corner * scale.
    const x0 = ax * fraction * w;
    const y0 = ay * fraction * h;
    const image = src.subarray(i * h * w * c, (i + 1) * h * w * c);
    out.set(resampleRegion(image, full, w, h, c, scale, [-x0 * scale[0], -y0 * scale[1]], full), i * h * w * c);
  }
  return tf.tensor4d(out, [n, h, w, c]);
}
