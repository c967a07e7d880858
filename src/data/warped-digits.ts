import * as tf from '@tensorflow/tfjs';
import { createRng, type Rng } from '../util/random';
import { fail } from '../util/validate';
import type { BatchOptions, ClassBatch } from './batches';
import { mnistBatches } from './mnist';

/** How strongly the digits are warped: each image gets its own random rotation, scale and shear. */
export interface WarpOptions {
  /** Rotation drawn uniformly in ±maxRotation degrees. Default 45. */
  maxRotation?: number;
  /** Scale drawn log-uniformly in [lo, hi]. Default [0.6, 1.2]. */
  scale?: [number, number];
  /** Horizontal shear factor drawn uniformly in ±maxShear. Default 0.4. */
  maxShear?: number;
}

/** One image's warp: rotation (degrees), scale and shear, about the image centre. */
export interface Warp {
  rotation: number;
  scale: number;
  shear: number;
}

const DEFAULTS: Required<WarpOptions> = { maxRotation: 45, scale: [0.6, 1.2], maxShear: 0.4 };

function checked(opts: WarpOptions): Required<WarpOptions> {
  const o = { ...DEFAULTS, ...opts };
  if (!(o.maxRotation >= 0 && o.maxRotation <= 180)) fail('warpDigits', 'maxRotation', 'degrees in [0, 180]', String(o.maxRotation));
  if (!Array.isArray(o.scale) || !(o.scale[0] > 0 && o.scale[1] >= o.scale[0])) fail('warpDigits', 'scale', '[lo, hi] with 0 < lo <= hi', JSON.stringify(o.scale));
  if (!(o.maxShear >= 0 && o.maxShear <= 1)) fail('warpDigits', 'maxShear', 'a number in [0, 1]', String(o.maxShear));
  return o;
}

/** Draws one warp from `rng`. */
export function randomWarp(rng: Rng, opts: WarpOptions = {}): Warp {
  const o = checked(opts);
  return {
    rotation: rng.uniform(-o.maxRotation, o.maxRotation),
    scale: Math.exp(rng.uniform(Math.log(o.scale[0]), Math.log(o.scale[1]))),
    shear: rng.uniform(-o.maxShear, o.maxShear),
  };
}

/**
 * Warps one h x w single-channel image: output pixel p reads the input at
 * c + A⁻¹(p − c), A = rotation · shear · scale about the centre c, by bilinear
 * interpolation with zero outside (the digit's background).
 */
export function warpImage(src: ArrayLike<number>, h: number, w: number, warp: Warp): Float32Array {
  const t = (warp.rotation * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  // A = R · Sh · S with Sh = [[1, k], [0, 1]]: A = s·[[cos, k·cos − sin], [sin, k·sin + cos]]; det = s².
  const s = warp.scale;
  const k = warp.shear;
  const a = s * cos, b = s * (k * cos - sin), c = s * sin, d = s * (k * sin + cos);
  const det = a * d - b * c;
  const [ia, ib, ic, id] = [d / det, -b / det, -c / det, a / det];
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const out = new Float32Array(h * w);
  const at = (y: number, x: number) => (y >= 0 && y < h && x >= 0 && x < w ? src[y * w + x] : 0);
  for (let oy = 0; oy < h; oy++) {
    for (let ox = 0; ox < w; ox++) {
      const x = cx + ia * (ox - cx) + ib * (oy - cy);
      const y = cy + ic * (ox - cx) + id * (oy - cy);
      const y0 = Math.floor(y);
      const x0 = Math.floor(x);
      const ly = y - y0;
      const lx = x - x0;
      out[oy * w + ox] = (1 - ly) * ((1 - lx) * at(y0, x0) + lx * at(y0, x0 + 1)) + ly * ((1 - lx) * at(y0 + 1, x0) + lx * at(y0 + 1, x0 + 1));
    }
  }
  return out;
}

/** Warps every image of a [B, H, W, 1] batch with warps drawn from `rng` (a new tensor; the input is kept). */
export function warpDigits(xs: tf.Tensor4D, rng: Rng, opts: WarpOptions = {}): tf.Tensor4D {
  const [n, h, w, ch] = xs.shape;
  if (ch !== 1) fail('warpDigits', 'xs', 'a [B, H, W, 1] batch', `shape [${xs.shape}]`);
  const pixels = xs.dataSync();
  const out = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) out.set(warpImage(pixels.subarray(i * h * w, (i + 1) * h * w), h, w, randomWarp(rng, opts)), i * h * w);
  return tf.tensor4d(out, [n, h, w, 1]);
}

/**
 * MNIST batches with every digit rotated, scaled and sheared at random
 * (the "warped digits" of Lesson 14). The warps come from `createRng(warpSeed)`
 * in batch order, so a test split with a fixed seed is a fixed test set and a
 * train split gets fresh warps every epoch.
 *
 * @example
 * for (const { xs, ys } of await warpedDigitBatches({ split: 'test', batchSize: 500, warpSeed: 14 })) { ... }
 */
export async function warpedDigitBatches(opts: BatchOptions & WarpOptions & { warpSeed?: number } = {}): Promise<Generator<ClassBatch>> {
  const inner = await mnistBatches(opts);
  const rng = createRng(opts.warpSeed ?? 14);
  const warp = { maxRotation: opts.maxRotation, scale: opts.scale, maxShear: opts.maxShear };
  checked(Object.fromEntries(Object.entries(warp).filter(([, v]) => v !== undefined)));
  return (function* () {
    for (const { xs, ys } of inner) {
      const warped = warpDigits(xs, rng, Object.fromEntries(Object.entries(warp).filter(([, v]) => v !== undefined)));
      xs.dispose();
      yield { xs: warped, ys };
    }
  })();
}
