import type { Rng } from '../util/random';
import { maskInk, objectFromMask, type Scene, type SceneMask, type SceneObject } from './scene';

/**
 * The one compositing primitive behind digit scenes, shapes and Copy-Paste:
 * a patch is laid over the canvas with its alpha (out = patch*a + under*(1-a)),
 * and every object already there loses the alpha the patch covers.
 */

export interface Patch extends SceneMask {
  /** Either one colour for the whole patch (C values) ... */
  color?: number[];
  /** ... or the patch's own pixels, width*height*C values (Copy-Paste). */
  pixels?: Float32Array;
}

/** Crops a patch to the canvas; null if nothing of it is inside. */
export function clipPatch(patch: Patch, width: number, height: number, channels: number): Patch | null {
  const x1 = Math.max(0, patch.x);
  const y1 = Math.max(0, patch.y);
  const x2 = Math.min(width, patch.x + patch.width);
  const y2 = Math.min(height, patch.y + patch.height);
  if (x2 <= x1 || y2 <= y1) return null;
  if (x1 === patch.x && y1 === patch.y && x2 === patch.x + patch.width && y2 === patch.y + patch.height) return patch;
  const w = x2 - x1;
  const h = y2 - y1;
  const alpha = new Float32Array(w * h);
  const pixels = patch.pixels ? new Float32Array(w * h * channels) : undefined;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const src = (r + y1 - patch.y) * patch.width + (c + x1 - patch.x);
      alpha[r * w + c] = patch.alpha[src];
      if (pixels) for (let k = 0; k < channels; k++) pixels[(r * w + c) * channels + k] = patch.pixels![src * channels + k];
    }
  }
  return { x: x1, y: y1, width: w, height: h, alpha, color: patch.color, pixels };
}

/**
 * A random corner of `glyph` (a quarter to nearly half of each side), placed
 * anywhere it shows at least one pixel of a `size`-square canvas: clutter that
 * looks like part of an object but never a whole one. Keeps the glyph's colour.
 */
export function fragmentPatch(glyph: Patch, size: number, rng: Rng): Patch {
  const fw = Math.max(2, Math.round(glyph.width * rng.uniform(0.25, 0.45)));
  const fh = Math.max(2, Math.round(glyph.height * rng.uniform(0.25, 0.45)));
  const fx = rng.int(0, glyph.width - fw);
  const fy = rng.int(0, glyph.height - fh);
  const alpha = new Float32Array(fw * fh);
  for (let r = 0; r < fh; r++) for (let c = 0; c < fw; c++) alpha[r * fw + c] = glyph.alpha[(r + fy) * glyph.width + c + fx];
  return { x: rng.int(-fw + 1, size - 1), y: rng.int(-fh + 1, size - 1), width: fw, height: fh, alpha, color: glyph.color };
}

/** The mask an object keeps once `patch` lies over it. */
export function occludedMask(mask: SceneMask, patch: SceneMask): SceneMask {
  const alpha = mask.alpha.slice();
  const x1 = Math.max(mask.x, patch.x);
  const y1 = Math.max(mask.y, patch.y);
  const x2 = Math.min(mask.x + mask.width, patch.x + patch.width);
  const y2 = Math.min(mask.y + mask.height, patch.y + patch.height);
  for (let y = y1; y < y2; y++) {
    for (let x = x1; x < x2; x++) {
      alpha[(y - mask.y) * mask.width + (x - mask.x)] *= 1 - patch.alpha[(y - patch.y) * patch.width + (x - patch.x)];
    }
  }
  return { ...mask, alpha };
}

/** Fraction of an object's ink still visible after `patch` covers it (1 if it has no mask). */
export function visibleFraction(obj: SceneObject, patch: SceneMask): number {
  if (!obj.mask) return 1;
  const before = maskInk(obj.mask)?.ink ?? 0;
  if (before === 0) return 0;
  return (maskInk(occludedMask(obj.mask, patch))?.ink ?? 0) / before;
}

/** Writes the patch's colour into the scene's image. */
export function blendPatch(scene: Scene, patch: Patch): void {
  const { width, channels, image } = scene;
  for (let r = 0; r < patch.height; r++) {
    for (let c = 0; c < patch.width; c++) {
      const a = patch.alpha[r * patch.width + c];
      if (a <= 0) continue;
      const off = ((patch.y + r) * width + patch.x + c) * channels;
      for (let k = 0; k < channels; k++) {
        const fg = patch.pixels ? patch.pixels[(r * patch.width + c) * channels + k] : (patch.color?.[k] ?? 1);
        image[off + k] = fg * a + image[off + k] * (1 - a);
      }
    }
  }
}

export interface PasteResult {
  /** The pasted object, or null if the patch had no ink inside the canvas. */
  added: SceneObject | null;
  /** Objects removed because less than `minVisible` of their ink stayed visible. */
  dropped: SceneObject[];
}

/**
 * Pastes a patch as a new object (or as unlabelled clutter with label null):
 * blends it in, cuts its alpha out of the objects under it, re-tightens their
 * boxes, and drops those left with less than `minVisible` of their ink.
 *
 * @example
 * pastePatch(scene, {x: 10, y: 5, width: 3, height: 3, alpha, color: [1]}, 7, 0.3);
 */
export function pastePatch(scene: Scene, rawPatch: Patch, label: number | null, minVisible: number): PasteResult {
  const patch = clipPatch(rawPatch, scene.width, scene.height, scene.channels);
  if (!patch) return { added: null, dropped: [] };
  blendPatch(scene, patch);
  const kept: SceneObject[] = [];
  const dropped: SceneObject[] = [];
  for (const obj of scene.objects) {
    if (!obj.mask || !overlaps(obj.mask, patch)) {
      kept.push(obj);
      continue;
    }
    const before = maskInk(obj.mask)?.ink ?? 0;
    const updated = objectFromMask(obj.label, occludedMask(obj.mask, patch));
    const after = updated ? (maskInk(updated.mask!)?.ink ?? 0) : 0;
    if (!updated || after < minVisible * before) dropped.push(obj);
    else kept.push(updated);
  }
  let added: SceneObject | null = null;
  if (label !== null) {
    added = objectFromMask(label, { x: patch.x, y: patch.y, width: patch.width, height: patch.height, alpha: patch.alpha.slice() });
    if (added) kept.push(added);
  }
  scene.objects = kept;
  return { added, dropped };
}

function overlaps(a: SceneMask, b: SceneMask): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
