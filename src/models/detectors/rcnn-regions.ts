import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';
import { selectiveSearch, type PixelBox, type SelectiveSearchOptions } from '../proposals/index';
import { sampleRoiTargets } from './roi-head';
import type { SceneImage } from './scene-input';

/**
 * What R-CNN and Fast R-CNN share: proposals from selective search, the
 * training RoIs sampled from them, and the image checks of their `detect`.
 */

/**
 * Selective search tuned on the digit scenes (black background, 8-64 px digits): k = 0.1 and
 * 10-pixel components give about 120 boxes a 128x128 scene, with a box at IoU >= 0.5 for 97%
 * of the digits (34 of 35 on the first 10 benchmark scenes), in about 30 ms in Node.
 */
export const SCENE_SELECTIVE_SEARCH: SelectiveSearchOptions = Object.freeze({ k: 0.1, sigma: 0.8, minSize: 10, minBoxSize: 2 });

/** Training RoI sampling of R-CNN and Fast R-CNN (both papers: IoU >= 0.5 foreground, 25% foreground in a batch). */
export interface RegionSampleConfig {
  /** RoIs trained on per image (Fast R-CNN: 128 per 2 images). Default 64. */
  batchSizePerImage?: number;
  /** Largest foreground share (both papers: 0.25). */
  positiveFraction?: number;
  /** IoU with a digit at or above this: foreground (0.5); below: background. */
  fgIouThreshold?: number;
}

/** A detection batch; `proposals` (per image, boxes in pixels) skips selective search when given, e.g. cached ones. */
export interface RegionBatch {
  images: tf.Tensor4D;
  boxes: number[][][];
  labels: number[][];
  proposals?: number[][][];
}

/** `[H, W, C]` and the pixel values of a `SceneImage`, checked: `channels` channels, values in 0..1. */
export function sceneImagePixels(op: string, image: SceneImage, channels: number): { shape: [number, number, number]; data: Float32Array } {
  const want = `a [H, W, ${channels}] tensor of values in 0..1 or a scene with ${channels} channel${channels > 1 ? 's' : ''}`;
  let shape: [number, number, number];
  let data: Float32Array;
  if (image instanceof tf.Tensor) {
    if (image.rank !== 3 || image.shape[2] !== channels) fail(op, 'image', want, `shape [${image.shape}]`);
    shape = image.shape as [number, number, number];
    data = Float32Array.from(image.dataSync());
  } else if (image && typeof image === 'object' && image.image instanceof Float32Array) {
    if (image.channels !== channels || image.image.length !== image.width * image.height * channels) {
      fail(op, 'image', want, `a ${image.width}x${image.height} scene with ${image.channels} channels and ${image.image.length} values`);
    }
    shape = [image.height, image.width, channels];
    data = image.image;
  } else {
    return fail(op, 'image', want, image === null ? 'null' : typeof image);
  }
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] >= 0 && data[i] <= 1)) fail(op, 'image', want, `${data[i]} at flat index ${i}`);
  }
  return { shape, data };
}

/** Selective search's boxes on one image's pixels, the first `max` in its ranking. */
export function proposeRegions(shape: [number, number, number], data: ArrayLike<number>, options: SelectiveSearchOptions, max: number): PixelBox[] {
  const [height, width, channels] = shape;
  return selectiveSearch({ width, height, channels, data }, options).boxes.slice(0, max);
}

/** Image `b` of a batch as pixels. */
export function batchImagePixels(images: tf.Tensor4D, b: number): { shape: [number, number, number]; data: Float32Array } {
  const [, H, W, C] = images.shape;
  const data = tf.tidy(() => tf.slice(images, [b, 0, 0, 0], [1, H, W, C]).dataSync()) as Float32Array;
  return { shape: [H, W, C], data };
}

export interface SampledRegions {
  /** `[K, 5]` rows (image index, x1, y1, x2, y2), every image's foreground first, then the background. */
  rois: Float32Array;
  /** Per RoI: its digit's class + 1, or 0 for background. */
  labels: number[];
  /** `[foreground, 4]` box-regression targets (weights 10, 10, 5, 5), in the RoIs' order; the caller disposes it. */
  targets: tf.Tensor2D;
}

/**
 * Training RoIs of a batch, as both papers: proposals of each image plus its ground-truth boxes,
 * IoU >= 0.5 with a digit → that digit's class, else background, a quarter foreground at most
 * (`sampleRoiTargets`, torchvision's RoIHeads sampling). Foreground rows of all images come first,
 * the order `roiHeadLoss` reads.
 */
export function sampleRegions(op: string, batch: RegionBatch, proposalsOf: (b: number) => number[][], config: Required<RegionSampleConfig>, seed: number): SampledRegions {
  const { images, boxes: gt, labels } = batch;
  const B = images.shape[0];
  if (!Array.isArray(gt) || !Array.isArray(labels) || gt.length !== B || labels.length !== B) {
    fail(op, 'batch', `boxes and labels for each of the ${B} images`, `${gt?.length} and ${labels?.length}`);
  }
  if (batch.proposals !== undefined && (!Array.isArray(batch.proposals) || batch.proposals.length !== B)) {
    fail(op, 'batch.proposals', `one list of boxes per image (${B})`, String(batch.proposals?.length));
  }
  const fg: number[][] = [];
  const bg: number[][] = [];
  const fgLabels: number[] = [];
  const targets: tf.Tensor2D[] = [];
  for (let b = 0; b < B; b++) {
    const props = batch.proposals?.[b] ?? proposalsOf(b);
    const s = sampleRoiTargets(props.flat(), gt[b], labels[b], {
      fgIouThreshold: config.fgIouThreshold, bgIouThreshold: config.fgIouThreshold,
      batchSizePerImage: config.batchSizePerImage, positiveFraction: config.positiveFraction, seed: seed + b,
    });
    s.labels.forEach((label, i) => {
      const row = [b, ...s.boxes.subarray(4 * i, 4 * i + 4)];
      if (i < s.numPositive) {
        fg.push(row);
        fgLabels.push(label);
      } else {
        bg.push(row);
      }
    });
    targets.push(s.targets);
  }
  const target = targets.length === 1 ? targets[0] : (tf.concat(targets, 0) as tf.Tensor2D);
  if (targets.length > 1) tf.dispose(targets);
  return { rois: Float32Array.from([...fg, ...bg].flat()), labels: [...fgLabels, ...bg.map(() => 0)], targets: target };
}
