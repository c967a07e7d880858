import { plainBoxIou } from '../core/boxes/plain-iou';
import { fail } from '../util/validate';
import { classWeights } from './class-weights';
import { mnistSplit, loadMnist } from './mnist';
import type { ImageSet } from './packed';
import { fragmentPatch, pastePatch, visibleFraction, type Patch } from './paint';
import { createRng, deriveSeed, type Rng } from '../util/random';
import { resize } from './resize';
import { blankScene, INK_THRESHOLD, maskInk, type Scene } from './scene';
import { addNoise, paintBackground, type Background } from './backgrounds';
import { checkSceneLayout } from './scene-options';

export interface DigitSceneOptions {
  seed?: number;
  /** Number of scenes (default 64). */
  count?: number;
  /** Canvas side in pixels (default 128). */
  size?: number;
  /** Digit size = the longer side of its ink box, drawn log-uniformly in [min, max] (default 8..64). */
  minObjectSize?: number;
  maxObjectSize?: number;
  minObjects?: number;
  maxObjects?: number;
  /** Largest IoU allowed between a new digit's box and any earlier one (default 0.3). */
  maxIoU?: number;
  /** Each earlier digit must keep at least this fraction of its ink visible (default 0.6). */
  minVisible?: number;
  /** Unlabelled digit fragments laid down before the digits (default 0, a whole number up to 1000). */
  clutter?: number;
  /** Std of Gaussian pixel noise added last, in pixel units of 0..1 (default 0, at most 1). */
  noise?: number;
  background?: Background;
  /** Class distribution (default 'balanced'). */
  classes?: 'balanced' | 'long-tail' | number[];
  /** Head-to-tail frequency ratio for 'long-tail' (default 50). */
  longTailRatio?: number;
  /** Which MNIST digits to draw from, so train and test scenes share no digit (default 'train'). */
  split?: 'train' | 'test';
  /** Id of the first scene (default 1: pycocotools-friendly). */
  firstId?: number;
}

const OP = 'digitScenes';

/** Label k is the digit k; scenes carry these names so `toCoco` can name categories. */
export const DIGIT_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);


/**
 * Scenes of real MNIST digits at several sizes on one canvas, with exact
 * boxes (tight around the visible ink: alpha > INK_THRESHOLD) and labels.
 * Scene i depends only on (seed, i), so a longer set extends a shorter one.
 *
 * @example
 * const scenes = await digitScenes({seed: 1, count: 100, size: 128, maxObjects: 5});
 * scenes[0].objects[0]; // {box: [x1,y1,x2,y2], label, area, mask}
 */
export async function digitScenes(opts: DigitSceneOptions = {}): Promise<Scene[]> {
  return digitScenesFrom(await loadMnist(), opts);
}

/** `digitScenes` on an already-loaded digit set (synchronous). */
export function digitScenesFrom(set: ImageSet, opts: DigitSceneOptions = {}): Scene[] {
  const o = {
    seed: 0, count: 64, size: 128, minObjectSize: 8, maxObjectSize: 64, minObjects: 1, maxObjects: 6,
    maxIoU: 0.3, minVisible: 0.6, clutter: 0, noise: 0, background: 'black' as Background,
    classes: 'balanced' as DigitSceneOptions['classes'], longTailRatio: 50, split: 'train' as const, firstId: 1,
    ...opts,
  };
  checkSceneLayout(OP, o, 2);
  const weights = classWeights(o.classes ?? 'balanced', 10, o.longTailRatio);
  const range = mnistSplit(o.split);
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = range.start; i < range.end; i++) byClass[set.labels[i]].push(i);
  for (let k = 0; k < 10; k++) if (weights[k] > 0 && byClass[k].length === 0) fail(OP, 'classes', `weights only on classes present in the ${o.split} split`, `class ${k}`);

  const scenes: Scene[] = [];
  for (let s = 0; s < o.count; s++) {
    const rng = createRng(deriveSeed(o.seed, s));
    const scene: Scene = { ...blankScene(o.firstId + s, o.size, o.size, 1), classNames: DIGIT_CLASSES };
    paintBackground(scene, o.background, rng);
    for (let c = 0; c < o.clutter; c++) pastePatch(scene, clutterPatch(set, range.start, range.end, o, rng), null, 0);
    const n = rng.int(o.minObjects, o.maxObjects);
    for (let k = 0; k < n; k++) {
      const label = rng.weighted(weights);
      const index = rng.pick(byClass[label]);
      const size = Math.round(Math.exp(rng.uniform(Math.log(o.minObjectSize), Math.log(o.maxObjectSize + 1) - 1e-9)));
      const glyph = digitGlyph(set, index, Math.min(size, o.maxObjectSize));
      for (let attempt = 0; attempt < 20; attempt++) {
        const patch = { ...glyph, x: rng.int(-glyph.box[0], o.size - glyph.box[2]), y: rng.int(-glyph.box[1], o.size - glyph.box[3]) };
        const box: [number, number, number, number] = [patch.x + glyph.box[0], patch.y + glyph.box[1], patch.x + glyph.box[2], patch.y + glyph.box[3]];
        if (scene.objects.some((obj) => plainBoxIou(obj.box, box) > o.maxIoU || visibleFraction(obj, patch) < o.minVisible)) continue;
        pastePatch(scene, patch, label, 0);
        break;
      }
    }
    if (o.noise > 0) addNoise(scene, o.noise, rng);
    scenes.push(scene);
  }
  return scenes;
}

interface Glyph extends Patch {
  /** Tight ink box inside the patch (patch-local coordinates). */
  box: [number, number, number, number];
}

/** A digit cropped to its ink and resized so its ink box's longer side is about `size`. */
export function digitGlyph(set: ImageSet, index: number, size: number): Glyph {
  const src = new Float32Array(784);
  for (let p = 0; p < 784; p++) src[p] = set.pixels[index * 784 + p] / 255;
  const ink = maskInk({ x: 0, y: 0, width: 28, height: 28, alpha: src }) ?? { box: [0, 0, 28, 28] };
  // Keep a 1-pixel margin so the filter's fringe is not cut off.
  const [x1, y1, x2, y2] = [Math.max(0, ink.box[0] - 1), Math.max(0, ink.box[1] - 1), Math.min(28, ink.box[2] + 1), Math.min(28, ink.box[3] + 1)];
  const cw = x2 - x1;
  const ch = y2 - y1;
  const crop = new Float32Array(cw * ch);
  for (let r = 0; r < ch; r++) for (let c = 0; c < cw; c++) crop[r * cw + c] = src[(r + y1) * 28 + c + x1];
  const scale = size / Math.max(ink.box[2] - ink.box[0], ink.box[3] - ink.box[1]);
  const w = Math.max(1, Math.round(cw * scale));
  const h = Math.max(1, Math.round(ch * scale));
  const alpha = resize(crop, cw, ch, 1, w, h);
  const tight = maskInk({ x: 0, y: 0, width: w, height: h, alpha }) ?? { box: [0, 0, w, h] as [number, number, number, number] };
  return { x: 0, y: 0, width: w, height: h, alpha, color: [1], box: tight.box };
}

function clutterPatch(set: ImageSet, start: number, end: number, o: { minObjectSize: number; maxObjectSize: number; size: number }, rng: Rng): Patch {
  const glyph = digitGlyph(set, rng.int(start, end - 1), rng.int(o.minObjectSize, o.maxObjectSize));
  // The grey level is drawn after the placement: the order of draws fixes which scenes a seed gives.
  const fragment = fragmentPatch(glyph, o.size, rng);
  return { ...fragment, color: [rng.uniform(0.5, 1)] };
}

/** Ink threshold re-exported for callers that test tightness. */
export { INK_THRESHOLD };
