import { evaluateCoco } from '../../core/index';
import { digitScenes } from '../../data/digit-scenes';
import { toCoco } from '../../data/coco';
import type { Scene } from '../../data/scene';
import { assertInRange, fail } from '../../util/validate';
import type { SceneDetector } from './types';

/**
 * The scene-detection benchmark every detector lesson and the bench report, fixed
 * once (issue 12): `digitScenes({seed: 7, count: 500, size: 128, split: 'test'})`,
 * the generator's defaults otherwise (1-6 digits of 8-64 px, black background).
 * The test split's digits never appear in training scenes (MNIST train split only).
 */
export const SCENE_BENCHMARK = Object.freeze({ size: 128, seed: 7, count: 500, split: 'test' as const });

/**
 * How the benchmark asks for detections, as torchvision's detectors score COCO:
 * score ≥ 0.05, per-class NMS at 0.5, at most 100 per image.
 */
export const SCENE_BENCHMARK_DETECT = Object.freeze({ scoreThreshold: 0.05, iouThreshold: 0.5, maxDetections: 100 });

export interface SceneBenchmarkResult {
  AP: number;
  AP50: number;
  AP75: number;
  APs: number;
  APm: number;
  APl: number;
  /** Mean wall time of one `detect` call, in milliseconds. */
  msPerImage: number;
  /** Scenes scored (the first `count` of the benchmark). */
  images: number;
}

export interface EvaluateSceneOptions {
  /** Score on the benchmark's first `count` scenes (default all 500); scene i is the same for every count. */
  count?: number;
  /** Told after each scene: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Stops between scenes with an AbortError. */
  signal?: AbortSignal;
}

const cache = new Map<number, Promise<Scene[]>>();

/** The benchmark's first `count` scenes (made once per count and kept). */
export function benchmarkScenes(count: number = SCENE_BENCHMARK.count): Promise<Scene[]> {
  assertInRange('benchmarkScenes', 'count', count, 1, SCENE_BENCHMARK.count);
  if (!Number.isInteger(count)) fail('benchmarkScenes', 'count', 'a whole number', String(count));
  let p = cache.get(count);
  if (!p) {
    const { size, seed, split } = SCENE_BENCHMARK;
    p = digitScenes({ size, seed, split, count });
    p.catch(() => cache.delete(count));
    cache.set(count, p);
  }
  return p;
}

/**
 * COCO AP (`core.evaluateCoco`, pycocotools' numbers) of a scene detector on the
 * benchmark, with its inference time per image.
 *
 * @example
 * const det = await models.loadSceneDetector('faster-rcnn');
 * const {AP50, AP75, msPerImage} = await models.evaluateSceneDetector(det, {count: 100});
 */
export async function evaluateSceneDetector(detector: SceneDetector, options: EvaluateSceneOptions = {}): Promise<SceneBenchmarkResult> {
  const op = 'evaluateSceneDetector';
  if (!detector || typeof detector.detect !== 'function') fail(op, 'detector', 'a detector with detect(image, options)', typeof detector);
  if (detector.inputSize !== SCENE_BENCHMARK.size) fail(op, 'detector', `a detector of ${SCENE_BENCHMARK.size}x${SCENE_BENCHMARK.size} scenes`, `inputSize ${detector.inputSize}`);
  const scenes = await benchmarkScenes(options.count ?? SCENE_BENCHMARK.count);
  const detections: { image_id: number; category_id: number; bbox: [number, number, number, number]; score: number }[] = [];
  let ms = 0;
  for (let i = 0; i < scenes.length; i++) {
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    const found = await detector.detect(scenes[i], { ...SCENE_BENCHMARK_DETECT });
    ms += performance.now() - t0;
    for (const d of found) {
      const [x1, y1, x2, y2] = d.box;
      detections.push({ image_id: scenes[i].id, category_id: d.classId, bbox: [x1, y1, x2 - x1, y2 - y1], score: d.score });
    }
    options.onProgress?.(i + 1, scenes.length);
  }
  const { stats } = evaluateCoco(toCoco(scenes), detections);
  return { AP: stats.AP, AP50: stats.AP50, AP75: stats.AP75, APs: stats.APs, APm: stats.APm, APl: stats.APl, msPerImage: ms / scenes.length, images: scenes.length };
}
