import { assertInRange } from '../util/validate';
import { blendPatch, occludedMask, type Patch } from './paint';
import { createRng, type Rng } from '../util/random';
import { resampleRegion } from './resize';
import { maskInk, objectFromMask, type Scene, type SceneMask, type SceneObject } from './scene';

/**
 * Scene augmentations. Each returns a new scene (inputs are never changed)
 * whose boxes are re-derived from the moved masks, so they stay tight around
 * the visible ink. Objects without masks move by their boxes only.
 */

/** A copy whose image and object list can be changed without touching `scene`. */
export function cloneScene(scene: Scene): Scene {
  return { ...scene, image: scene.image.slice(), objects: scene.objects.map((o) => ({ ...o, box: [...o.box] as SceneObject['box'] })) };
}

/**
 * Mirrors a scene left-right (torchvision `RandomHorizontalFlip`): x -> W - x.
 *
 * @example
 * hflip(scene).objects[0].box; // [W - x2, y1, W - x1, y2]
 */
export function hflip(scene: Scene): Scene {
  return flip(scene, true);
}

/** Mirrors a scene top-bottom: y -> H - y. */
export function vflip(scene: Scene): Scene {
  return flip(scene, false);
}

function flip(scene: Scene, horizontal: boolean): Scene {
  const { width: W, height: H, channels: C } = scene;
  const image = new Float32Array(scene.image.length);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const src = horizontal ? (r * W + (W - 1 - c)) * C : ((H - 1 - r) * W + c) * C;
      for (let k = 0; k < C; k++) image[(r * W + c) * C + k] = scene.image[src + k];
    }
  }
  const objects = scene.objects.map((o): SceneObject => {
    const [x1, y1, x2, y2] = o.box;
    const box: SceneObject['box'] = horizontal ? [W - x2, y1, W - x1, y2] : [x1, H - y2, x2, H - y1];
    if (!o.mask) return { ...o, box };
    const m = o.mask;
    const alpha = new Float32Array(m.alpha.length);
    for (let r = 0; r < m.height; r++) {
      for (let c = 0; c < m.width; c++) {
        alpha[r * m.width + c] = horizontal ? m.alpha[r * m.width + (m.width - 1 - c)] : m.alpha[(m.height - 1 - r) * m.width + c];
      }
    }
    const mask = horizontal ? { ...m, x: W - m.x - m.width, alpha } : { ...m, y: H - m.y - m.height, alpha };
    return { ...o, box, mask };
  });
  return { ...scene, image, objects };
}

export interface ScaleJitterOptions {
  /** Scale factor drawn uniformly in [minScale, maxScale] (default 0.5..1.5). */
  minScale?: number;
  maxScale?: number;
  /** Objects keeping less than this fraction of their (scaled) ink inside the canvas are dropped (default 0.5). */
  minVisible?: number;
}

/**
 * Large-scale jitter (as in Copy-Paste, Ghiasi et al. 2021): resize the scene
 * by a random factor, then crop (if larger) or pad with 0 (if smaller) back to
 * the same canvas at a random offset.
 *
 * @example
 * const jittered = scaleJitter(scene, createRng(1), {minScale: 0.5, maxScale: 2});
 */
export function scaleJitter(scene: Scene, rng: Rng, opts: ScaleJitterOptions = {}): Scene {
  const { minScale = 0.5, maxScale = 1.5, minVisible = 0.5 } = opts;
  assertInRange('scaleJitter', 'minScale', minScale, 0.01, 100);
  assertInRange('scaleJitter', 'maxScale', maxScale, minScale, 100);
  const s = rng.uniform(minScale, maxScale);
  return scaleScene(scene, s, [rng.int(...offsetRange(scene.width, s)), rng.int(...offsetRange(scene.height, s))], minVisible);
}

function offsetRange(len: number, s: number): [number, number] {
  const slack = Math.round(len - len * s);
  return slack >= 0 ? [0, slack] : [slack, 0];
}

/**
 * Scales a scene by `s` and shifts it by `offset` pixels on the same canvas
 * (the deterministic core of `scaleJitter`).
 *
 * @example
 * scaleScene(scene, 0.5, [0, 0]); // content shrunk into the top-left quarter
 */
export function scaleScene(scene: Scene, s: number, offset: [number, number], minVisible = 0.5): Scene {
  const { width: W, height: H, channels: C } = scene;
  const full = { x: 0, y: 0, width: W, height: H };
  const image = resampleRegion(scene.image, full, W, H, C, s, offset, full);
  const objects: SceneObject[] = [];
  for (const o of scene.objects) {
    if (!o.mask) {
      const box = o.box.map((v, i) => Math.min(i % 2 ? H : W, Math.max(0, v * s + offset[i % 2]))) as SceneObject['box'];
      const area = (box[2] - box[0]) * (box[3] - box[1]);
      if (area >= minVisible * o.area * s * s && area > 0) objects.push({ ...o, box, area });
      continue;
    }
    const m = o.mask;
    const x1 = Math.floor(m.x * s + offset[0]) - 1;
    const y1 = Math.floor(m.y * s + offset[1]) - 1;
    const region = { x: x1, y: y1, width: Math.ceil((m.x + m.width) * s + offset[0]) + 1 - x1, height: Math.ceil((m.y + m.height) * s + offset[1]) + 1 - y1 };
    const moved: SceneMask = { ...region, alpha: resampleRegion(m.alpha, m, W, H, 1, s, offset, region) };
    const all = maskInk(moved)?.ink ?? 0;
    const inside = cropMask(moved, W, H);
    const kept = inside ? objectFromMask(o.label, inside) : null;
    if (kept && (maskInk(kept.mask!)?.ink ?? 0) >= minVisible * all) objects.push(kept);
  }
  return { ...scene, image, objects };
}

function cropMask(m: SceneMask, W: number, H: number): SceneMask | null {
  const x1 = Math.max(0, m.x);
  const y1 = Math.max(0, m.y);
  const x2 = Math.min(W, m.x + m.width);
  const y2 = Math.min(H, m.y + m.height);
  if (x2 <= x1 || y2 <= y1) return null;
  const alpha = new Float32Array((x2 - x1) * (y2 - y1));
  for (let r = y1; r < y2; r++) for (let c = x1; c < x2; c++) alpha[(r - y1) * (x2 - x1) + c - x1] = m.alpha[(r - m.y) * m.width + c - m.x];
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1, alpha };
}

export interface CopyPasteOptions {
  /** Probability that each source object is pasted (default 0.5; at least one is always pasted). */
  pasteProbability?: number;
  /** Target objects keeping less than this fraction of their visible ink are dropped (default 0.5: "mostly hidden"). */
  minVisible?: number;
}

/**
 * Simple Copy-Paste (Ghiasi et al., CVPR 2021): objects of `source` (with
 * their pixels and alpha masks) are pasted at the same place onto `target`.
 * Target objects lose the alpha the pasted objects cover; those with less than
 * `minVisible` of their ink left are dropped, the rest get boxes re-tightened
 * around what is still visible. Both scenes must share size and channels.
 *
 * @example
 * const mixed = copyPaste(sceneA, sceneB, createRng(3));
 * mixed.objects; // A's surviving objects (boxes updated) + B's pasted ones
 */
export function copyPaste(target: Scene, source: Scene, rng: Rng, opts: CopyPasteOptions = {}): Scene {
  const { pasteProbability = 0.5, minVisible = 0.5 } = opts;
  if (target.width !== source.width || target.height !== source.height || target.channels !== source.channels) {
    throw new Error(`copyPaste: 'source' must match the target's ${target.width}x${target.height}x${target.channels}, got ${source.width}x${source.height}x${source.channels}.`);
  }
  assertInRange('copyPaste', 'minVisible', minVisible, 0, 1);
  const candidates = source.objects.filter((o) => o.mask);
  let chosen = candidates.filter(() => rng.next() < pasteProbability);
  if (chosen.length === 0 && candidates.length > 0) chosen = [rng.pick(candidates)];
  const out = cloneScene(target);
  const patches = chosen.map((o) => sourcePatch(source, o.mask!));
  for (const p of patches) blendPatch(out, p);
  const kept: SceneObject[] = [];
  for (const o of out.objects) {
    if (!o.mask) {
      kept.push(o);
      continue;
    }
    const before = maskInk(o.mask)?.ink ?? 0;
    const after = objectFromMask(o.label, patches.reduce((m, p) => occludedMask(m, p), o.mask));
    if (after && (maskInk(after.mask!)?.ink ?? 0) >= minVisible * before) kept.push(after);
  }
  out.objects = [...kept, ...chosen.map((o) => ({ ...o, box: [...o.box] as SceneObject['box'] }))];
  return out;
}

function sourcePatch(source: Scene, m: SceneMask): Patch {
  const C = source.channels;
  const pixels = new Float32Array(m.width * m.height * C);
  for (let r = 0; r < m.height; r++) {
    for (let c = 0; c < m.width; c++) {
      for (let k = 0; k < C; k++) pixels[(r * m.width + c) * C + k] = source.image[((m.y + r) * source.width + m.x + c) * C + k];
    }
  }
  return { ...m, pixels };
}

export interface AugmentOptions {
  seed?: number;
  /** Probability of a horizontal flip (default 0.5; digits are not symmetric, so lessons may set 0). */
  hflip?: number;
  vflip?: number;
  /** [minScale, maxScale] for scale jitter, or null for none (default null). */
  scaleJitter?: [number, number] | null;
  /** Probability of pasting objects from another scene of the set (default 0). */
  copyPaste?: number;
  minVisible?: number;
}

/**
 * Applies the chosen augmentations to each scene, seeded. Copy-Paste sources
 * are other scenes of the same (un-augmented) set, themselves flipped/jittered.
 *
 * @example
 * const train = augmentScenes(scenes, {seed: 1, hflip: 0, scaleJitter: [0.8, 1.25], copyPaste: 0.5});
 */
export function augmentScenes(scenes: Scene[], opts: AugmentOptions = {}): Scene[] {
  const { seed = 0, hflip: ph = 0.5, vflip: pv = 0, scaleJitter: sj = null, copyPaste: pc = 0, minVisible = 0.5 } = opts;
  const rng = createRng(seed);
  const geometric = (s: Scene): Scene => {
    let out = s;
    if (rng.next() < ph) out = hflip(out);
    if (rng.next() < pv) out = vflip(out);
    if (sj) out = scaleJitter(out, rng, { minScale: sj[0], maxScale: sj[1], minVisible });
    return out;
  };
  return scenes.map((s, i) => {
    let out = geometric(s);
    if (scenes.length > 1 && rng.next() < pc) {
      let j = rng.int(0, scenes.length - 2);
      if (j >= i) j++;
      out = copyPaste(out, geometric(scenes[j]), rng, { minVisible });
    }
    return out;
  });
}
