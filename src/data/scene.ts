import * as tf from '@tensorflow/tfjs';

/**
 * Scenes are plain data (no tensors), so they can be generated in a worker,
 * serialised, exported to COCO and turned into tensors only when a model
 * needs them (`scenesToTensors`).
 */

/** A pixel counts as ink when its object's alpha exceeds this (after resizing). */
export const INK_THRESHOLD = 0.2;

/** An object's own alpha over an integer rectangle of the canvas. */
export interface SceneMask {
  x: number;
  y: number;
  width: number;
  height: number;
  /** width*height values in 0..1: how much of the pixel this object still covers (occlusion included). */
  alpha: Float32Array;
}

export interface SceneObject {
  /** [x1, y1, x2, y2] in continuous pixel coordinates, tight around the visible ink: x2 = last ink column + 1. */
  box: [number, number, number, number];
  label: number;
  /** Box area (x2-x1)*(y2-y1), the area COCO's small/medium/large ranges use here. */
  area: number;
  /** The object's visible alpha; augmentations move it with the image. */
  mask?: SceneMask;
}

export interface Scene {
  id: number;
  width: number;
  height: number;
  channels: number;
  /** H*W*C values in 0..1, row-major, channels last. */
  image: Float32Array;
  objects: SceneObject[];
  /**
   * Names of the label indices (`classNames[label]`), set by the generators so
   * an export such as `toCoco` can name its categories without being told.
   */
  classNames?: readonly string[];
}

/** Tight box and ink count of a mask, or null when nothing is above INK_THRESHOLD. */
export function maskInk(mask: SceneMask): { box: [number, number, number, number]; ink: number } | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  let ink = 0;
  for (let r = 0; r < mask.height; r++) {
    for (let c = 0; c < mask.width; c++) {
      if (mask.alpha[r * mask.width + c] > INK_THRESHOLD) {
        ink++;
        if (c < x1) x1 = c;
        if (c > x2) x2 = c;
        if (r < y1) y1 = r;
        if (r > y2) y2 = r;
      }
    }
  }
  if (ink === 0) return null;
  return { box: [mask.x + x1, mask.y + y1, mask.x + x2 + 1, mask.y + y2 + 1], ink };
}

/** An object whose box is recomputed from its mask; null if no ink is left. */
export function objectFromMask(label: number, mask: SceneMask): SceneObject | null {
  const ink = maskInk(mask);
  if (!ink) return null;
  const [x1, y1, x2, y2] = ink.box;
  return { box: ink.box, label, area: (x2 - x1) * (y2 - y1), mask };
}

/** A blank scene of one colour. */
export function blankScene(id: number, width: number, height: number, channels: number, fill = 0): Scene {
  return { id, width, height, channels, image: new Float32Array(width * height * channels).fill(fill), objects: [] };
}

export interface SceneTensors {
  /** [B, H, W, C] */
  images: tf.Tensor4D;
  /** [B, M, 4] boxes (x1,y1,x2,y2), zero-padded to M = the most objects in a scene. */
  boxes: tf.Tensor3D;
  /** [B, M] int32 labels, padded with -1. */
  labels: tf.Tensor2D;
  /** Number of real objects per scene. */
  counts: number[];
}

/**
 * Stacks same-sized scenes into tensors; the caller owns and disposes them.
 *
 * @example
 * const {images, boxes, labels} = scenesToTensors(scenes.slice(0, 8));
 * images.shape; // [8, 128, 128, 1]
 * tf.dispose([images, boxes, labels]);
 */
export function scenesToTensors(scenes: Scene[]): SceneTensors {
  if (scenes.length === 0) throw new Error(`scenesToTensors: 'scenes' must hold at least one scene, got 0.`);
  const images = stackSceneImages('scenesToTensors', scenes);
  const m = Math.max(1, ...scenes.map((s) => s.objects.length));
  const bx = new Float32Array(scenes.length * m * 4);
  const lb = new Int32Array(scenes.length * m).fill(-1);
  scenes.forEach((s, b) => {
    s.objects.forEach((o, k) => {
      bx.set(o.box, (b * m + k) * 4);
      lb[b * m + k] = o.label;
    });
  });
  return {
    images,
    boxes: tf.tensor3d(bx, [scenes.length, m, 4]),
    labels: tf.tensor2d(lb, [scenes.length, m], 'int32'),
    counts: scenes.map((s) => s.objects.length),
  };
}

/** The size every scene shares; throws, naming `op`, when one differs. `scenes` must not be empty. */
export function sharedSceneSize(op: string, scenes: Scene[]): { width: number; height: number; channels: number } {
  const { width, height, channels } = scenes[0];
  for (const s of scenes) {
    if (s.width !== width || s.height !== height || s.channels !== channels) {
      throw new Error(`${op}: 'scenes' must share one size, got ${width}x${height}x${channels} and ${s.width}x${s.height}x${s.channels}.`);
    }
  }
  return { width, height, channels };
}

/** The scenes' images as one [B, H, W, C] tensor (checked to share one size); the caller owns it. */
export function stackSceneImages(op: string, scenes: Scene[]): tf.Tensor4D {
  const { width, height, channels } = sharedSceneSize(op, scenes);
  const px = width * height * channels;
  const pixels = new Float32Array(scenes.length * px);
  scenes.forEach((s, b) => pixels.set(s.image, b * px));
  return tf.tensor4d(pixels, [scenes.length, height, width, channels]);
}

