import { assertInRange, fail } from '../util/validate';
import type { Rng } from '../util/random';
import type { Scene } from './scene';

/**
 * Backgrounds and pixel noise for generated scenes. 'black' (0), 'gray'
 * (a flat level in 0.1..0.4) or 'gradient' (a linear ramp between two levels
 * in 0..0.4, in a random direction): dark enough that white ink stays visible.
 */
export type Background = 'black' | 'gray' | 'gradient';

/** Fills the scene's image with a background (per channel for colour scenes). */
export function paintBackground(scene: Scene, background: Background, rng: Rng): void {
  const { width, height, channels, image } = scene;
  if (background === 'black') return;
  if (background === 'gray') {
    for (let k = 0; k < channels; k++) {
      const v = rng.uniform(0.1, 0.4);
      for (let p = 0; p < width * height; p++) image[p * channels + k] = v;
    }
    return;
  }
  if (background !== 'gradient') throw new Error(`paintBackground: 'background' must be one of 'black', 'gray', 'gradient', got '${String(background)}'.`);
  const angle = rng.uniform(0, 2 * Math.PI);
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const ends = Array.from({ length: channels }, () => [rng.uniform(0, 0.4), rng.uniform(0, 0.4)]);
  const span = Math.abs(dx) * width + Math.abs(dy) * height;
  const base = Math.min(0, dx * width) + Math.min(0, dy * height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const t = (dx * (c + 0.5) + dy * (r + 0.5) - base) / span;
      for (let k = 0; k < channels; k++) image[(r * width + c) * channels + k] = ends[k][0] + t * (ends[k][1] - ends[k][0]);
    }
  }
}

/** Adds Gaussian noise of standard deviation `std`, clamped to 0..1. */
export function addNoise(scene: Scene, std: number, rng: Rng): void {
  const { image } = scene;
  for (let i = 0; i < image.length; i++) image[i] = Math.min(1, Math.max(0, image[i] + std * rng.normal()));
}

/**
 * The checks both generators share for clutter and noise. Unchecked, a
 * typo such as `noise: 25` (meant as 25/255) gives a canvas of pure noise,
 * `clutter: Infinity` never returns, and NaN silently means "none".
 */
export function checkClutterAndNoise(op: string, clutter: number, noise: number): void {
  assertInRange(op, 'clutter', clutter, 0, 1000);
  if (!Number.isInteger(clutter)) fail(op, 'clutter', 'a whole number of fragments', String(clutter));
  assertInRange(op, 'noise', noise, 0, 1);
}
