import { plainBoxIou } from '../core/boxes/plain-iou';
import { addNoise, paintBackground, type Background } from './backgrounds';
import { checkSceneLayout } from './scene-options';
import { classWeights } from './class-weights';
import { fragmentPatch, pastePatch, visibleFraction, type Patch } from './paint';
import { createRng, deriveSeed, type Rng } from '../util/random';
import { blankScene, maskInk, type Scene } from './scene';

/** Class index = position here. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

export interface ShapeSceneOptions {
  seed?: number;
  count?: number;
  /** Canvas side (default 64). */
  size?: number;
  /** Shape size = diameter of its circumscribed circle, uniform in [min, max] (default 8..32). */
  minObjectSize?: number;
  maxObjectSize?: number;
  minObjects?: number;
  maxObjects?: number;
  maxIoU?: number;
  minVisible?: number;
  /** Rotate squares and triangles by a random angle (default true). */
  rotate?: boolean;
  /** Unlabelled shape fragments laid down before the shapes (default 0, a whole number up to 1000). */
  clutter?: number;
  /** Std of Gaussian pixel noise added last, in pixel units of 0..1 (default 0, at most 1). */
  noise?: number;
  background?: Background;
  classes?: 'balanced' | 'long-tail' | number[];
  longTailRatio?: number;
  firstId?: number;
}

const OP = 'shapeScenes';

/** Sub-samples per pixel side for coverage: 4x4 = alpha in steps of 1/16. */
const SS = 4;

/**
 * RGB scenes of circles, squares and triangles in random colours, sizes and
 * rotations; boxes tight around visible coverage > INK_THRESHOLD, labels
 * index SHAPE_CLASSES.
 *
 * @example
 * const scenes = shapeScenes({seed: 2, count: 50, size: 64, maxObjects: 3});
 * scenes[0].channels; // 3
 */
export function shapeScenes(opts: ShapeSceneOptions = {}): Scene[] {
  const o = {
    seed: 0, count: 64, size: 64, minObjectSize: 8, maxObjectSize: 32, minObjects: 1, maxObjects: 4, maxIoU: 0.3,
    minVisible: 0.6, rotate: true, clutter: 0, noise: 0, background: 'black' as Background, classes: 'balanced' as ShapeSceneOptions['classes'],
    longTailRatio: 10, firstId: 1, ...opts,
  };
  checkSceneLayout(OP, o, 3);
  const weights = classWeights(o.classes ?? 'balanced', SHAPE_CLASSES.length, o.longTailRatio);
  const scenes: Scene[] = [];
  for (let s = 0; s < o.count; s++) {
    const rng = createRng(deriveSeed(o.seed, s));
    const scene: Scene = { ...blankScene(o.firstId + s, o.size, o.size, 3), classNames: SHAPE_CLASSES };
    paintBackground(scene, o.background, rng);
    for (let c = 0; c < o.clutter; c++) pastePatch(scene, clutterPatch(o, rng), null, 0);
    const n = rng.int(o.minObjects, o.maxObjects);
    for (let k = 0; k < n; k++) {
      const label = rng.weighted(weights);
      const glyph = shapeGlyph(label, rng.uniform(o.minObjectSize, o.maxObjectSize), o.rotate ? rng.uniform(0, 2 * Math.PI) : 0, brightColor(rng));
      const ink = maskInk(glyph);
      if (!ink) continue;
      for (let attempt = 0; attempt < 20; attempt++) {
        const dx = rng.int(-ink.box[0], o.size - ink.box[2]);
        const dy = rng.int(-ink.box[1], o.size - ink.box[3]);
        const patch = { ...glyph, x: dx, y: dy };
        const box = [dx + ink.box[0], dy + ink.box[1], dx + ink.box[2], dy + ink.box[3]];
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

/**
 * A corner cut from a random shape: edges and colour like a real shape's, but
 * never a whole one, so a detector must learn that a fragment is background.
 */
function clutterPatch(o: { minObjectSize: number; maxObjectSize: number; size: number }, rng: Rng): Patch {
  const glyph = shapeGlyph(rng.int(0, SHAPE_CLASSES.length - 1), rng.uniform(o.minObjectSize, o.maxObjectSize), rng.uniform(0, 2 * Math.PI), brightColor(rng));
  return fragmentPatch(glyph, o.size, rng);
}

/**
 * One shape's coverage patch (origin 0,0), anti-aliased by 4x4 sub-sampling.
 *
 * @example
 * shapeGlyph(0, 10, 0, [1, 0, 0]); // a red circle of diameter 10 in a 12x12 patch
 */
export function shapeGlyph(label: number, size: number, angle: number, color: number[]): Patch {
  const side = Math.ceil(size) + 2;
  const c = side / 2;
  const r = size / 2;
  const inside = insideTest(label, r, angle);
  const alpha = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          if (inside(x + (sx + 0.5) / SS - c, y + (sy + 0.5) / SS - c)) hits++;
        }
      }
      alpha[y * side + x] = hits / (SS * SS);
    }
  }
  return { x: 0, y: 0, width: side, height: side, alpha, color };
}

/** Point-in-shape test in the shape's centred frame; r = circumradius. */
function insideTest(label: number, r: number, angle: number): (x: number, y: number) => boolean {
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const rot = (x: number, y: number) => [x * cos - y * sin, x * sin + y * cos];
  if (label === 0) return (x, y) => x * x + y * y <= r * r;
  if (label === 1) {
    const h = r / Math.SQRT2;
    return (x, y) => {
      const [u, v] = rot(x, y);
      return Math.abs(u) <= h && Math.abs(v) <= h;
    };
  }
  // Equilateral triangle: inside all three edges' half-planes (inradius r/2).
  const normals = [0, 1, 2].map((i) => [Math.cos(Math.PI / 2 + (2 * Math.PI * i) / 3), Math.sin(Math.PI / 2 + (2 * Math.PI * i) / 3)]);
  return (x, y) => {
    const [u, v] = rot(x, y);
    return normals.every(([nx, ny]) => u * nx + v * ny <= r / 2);
  };
}

/** A saturated colour (HSV with s, v in 0.7..1) so shapes stand out from dark backgrounds. */
function brightColor(rng: Rng): number[] {
  const h = rng.uniform(0, 6);
  const s = rng.uniform(0.7, 1);
  const v = rng.uniform(0.7, 1);
  const f = h - Math.floor(h);
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  return [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][Math.floor(h) % 6];
}
