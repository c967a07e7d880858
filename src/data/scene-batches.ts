import * as tf from '@tensorflow/tfjs';
import { assertInRange, fail } from '../util/validate';
import { digitScenes, type DigitSceneOptions } from './digit-scenes';
import { createRng } from '../util/random';
import { sharedSceneSize, stackSceneImages, type Scene } from './scene';
import { shapeScenes, type ShapeSceneOptions } from './shape-scenes';

/**
 * A detection batch. Boxes and labels stay plain arrays because every scene
 * holds a different number of objects; a loss that needs them as tensors
 * (matching, target assignment) builds its own. The consumer owns `images`.
 */
export interface SceneBatch {
  /** [B, H, W, C], values 0..1. */
  images: tf.Tensor4D;
  /** Per scene, its objects' [x1, y1, x2, y2] boxes in pixels. */
  boxes: [number, number, number, number][][];
  /** Per scene, its objects' labels (same order as `boxes`). */
  labels: number[][];
  /** The scene ids in this batch, to find a scene again (or its COCO image id). */
  ids: number[];
}

export interface SceneBatchOptions {
  /** The scenes to batch... */
  scenes?: Scene[];
  /** ... or digit scenes to generate first ... */
  digits?: DigitSceneOptions;
  /** ... or shape scenes to generate first. Exactly one of the three. */
  shapes?: ShapeSceneOptions;
  /** Scenes per batch (default 16). */
  batchSize?: number;
  /** Shuffle seed; the same seed gives the same batches (default 0). */
  seed?: number;
  /** Shuffle the scenes each epoch (default true). */
  shuffle?: boolean;
  /** Passes over the scenes (default 1). */
  epochs?: number;
  /** Drop the last partial batch, so every batch has `batchSize` scenes (default false). */
  dropRemainder?: boolean;
}

const OP = 'sceneBatches';

/**
 * Batches of detection scenes for a training loop: `{images, boxes, labels, ids}`.
 * Generates the scenes first when given generator options. Deterministic: the
 * same options give the same batches.
 *
 * @example
 * for (const batch of await sceneBatches({digits: {seed: 1, count: 256, size: 64}, batchSize: 32, seed: 2})) {
 *   batch.images.shape; // [32, 64, 64, 1]
 *   batch.boxes[0];     // [[x1, y1, x2, y2], ...] of the first scene
 *   batch.images.dispose();
 * }
 */
export async function sceneBatches(opts: SceneBatchOptions): Promise<Generator<SceneBatch>> {
  const given = [opts.scenes, opts.digits, opts.shapes].filter((x) => x !== undefined).length;
  if (given !== 1) fail(OP, 'scenes', 'given alone, or replaced by exactly one of digits or shapes', `${given} of them`);
  const scenes = opts.scenes ?? (opts.digits ? await digitScenes(opts.digits) : shapeScenes(opts.shapes));
  return sceneBatchesFrom(scenes, opts);
}

/** `sceneBatches` over scenes already made (synchronous). */
export function sceneBatchesFrom(scenes: Scene[], opts: Omit<SceneBatchOptions, 'scenes' | 'digits' | 'shapes'> = {}): Generator<SceneBatch> {
  const batchSize = opts.batchSize ?? 16;
  const epochs = opts.epochs ?? 1;
  assertInRange(OP, 'batchSize', batchSize, 1, 1e5);
  if (!Number.isInteger(batchSize)) fail(OP, 'batchSize', 'a whole number', String(batchSize));
  assertInRange(OP, 'epochs', epochs, 0, 1e6);
  // A fraction would silently round up to a whole extra pass.
  if (!Number.isInteger(epochs)) fail(OP, 'epochs', 'a whole number', String(epochs));
  if (!Array.isArray(scenes) || scenes.length === 0) fail(OP, 'scenes', 'a non-empty array of scenes', Array.isArray(scenes) ? '0 scenes' : typeof scenes);
  sharedSceneSize(OP, scenes);
  // A plain function around the generator, so a mistake throws where the iterator is made, not at the first batch.
  return batchesOf(scenes, batchSize, epochs, opts);
}

function* batchesOf(scenes: Scene[], batchSize: number, epochs: number, opts: SceneBatchOptions): Generator<SceneBatch> {
  const rng = createRng(opts.seed ?? 0);
  for (let e = 0; e < epochs; e++) {
    const order = scenes.map((_, i) => i);
    if (opts.shuffle ?? true) rng.shuffle(order);
    for (let b = 0; b < order.length; b += batchSize) {
      const chosen = order.slice(b, b + batchSize).map((i) => scenes[i]);
      if (chosen.length < batchSize && opts.dropRemainder) break;
      yield {
        images: stackSceneImages(OP, chosen),
        boxes: chosen.map((s) => s.objects.map((o) => [...o.box] as [number, number, number, number])),
        labels: chosen.map((s) => s.objects.map((o) => o.label)),
        ids: chosen.map((s) => s.id),
      };
    }
  }
}
