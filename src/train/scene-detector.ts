import { digitScenesFrom } from '../data/digit-scenes';
import { loadMnist } from '../data/mnist';
import { sceneBatchesFrom, type SceneBatch } from '../data/scene-batches';
import { train, type FitResult, type ProgressEvent } from './fit';
import type { OptimizerName } from './optimizers';
import type { ScheduleSpec } from './schedules';
import { deriveSeed } from '../util/random';
import { assertInRange, fail } from '../util/validate';
import { SCENE_BENCHMARK, evaluateSceneDetector } from '../models/detectors/scene-benchmark';
import type { TrainableDetector } from '../models/detectors/types';

/**
 * How the course trains its scene detectors, the same in `npm run train:weights`
 * (scripts/weights/lesson-08.ts, lesson-09.ts) and in a lesson's "train from
 * scratch": batches of fresh digit scenes in the benchmark's layout from the
 * MNIST train split, Adam, linear warmup then cosine decay.
 */
export const SCENE_TRAINING = Object.freeze({
  batchSize: 4,
  optimizer: 'adam' as OptimizerName,
  lr: 0.002,
  warmupSteps: 100,
  /** Seed of the training scenes' stream (batch k: `digitScenes({seed: deriveSeed(dataSeed, k), count: batchSize})`). */
  dataSeed: 1,
});

export interface TrainingScenesOptions {
  batchSize?: number;
  seed?: number;
  /** Number of batches (default: without end). */
  batches?: number;
}

/**
 * Batches of new digit scenes, never repeating: batch k is `batchSize` scenes of
 * `digitScenes({seed: deriveSeed(seed, k), split: 'train', size: 128})`, the
 * benchmark's layout on MNIST's train split, so a run sees no benchmark digit.
 */
export async function* trainingSceneBatches(options: TrainingScenesOptions = {}): AsyncGenerator<SceneBatch> {
  const batchSize = options.batchSize ?? SCENE_TRAINING.batchSize;
  const seed = options.seed ?? SCENE_TRAINING.dataSeed;
  assertInRange('trainingSceneBatches', 'batchSize', batchSize, 1, 256);
  const set = await loadMnist();
  for (let k = 0; options.batches === undefined || k < options.batches; k++) {
    const scenes = digitScenesFrom(set, { size: SCENE_BENCHMARK.size, split: 'train', seed: deriveSeed(seed, k), count: batchSize, firstId: 1 + k * batchSize });
    yield* sceneBatchesFrom(scenes, { batchSize, shuffle: false });
  }
}

export interface TrainSceneDetectorOptions {
  steps: number;
  batchSize?: number;
  /** Peak learning rate (default `SCENE_TRAINING.lr`) and warmup steps. */
  lr?: number;
  warmupSteps?: number;
  /** Seed of the training scenes (default `SCENE_TRAINING.dataSeed`). */
  dataSeed?: number;
  signal?: AbortSignal;
  /** Scores AP / AP50 / AP75 on the benchmark's first `count` scenes every `every` steps and after the last. */
  evaluate?: { every: number; count: number };
  onProgress?: (e: ProgressEvent) => void;
}

/**
 * The course loop (`train`) on a scene detector with `SCENE_TRAINING`'s recipe:
 * one progress event per step with the per-loss terms (`e.lossTerms`), Stop
 * through `signal`, and the benchmark's AP in `e.evaluation` when asked.
 *
 * @example
 * for await (const e of trainSceneDetector(det, {steps: 300, evaluate: {every: 100, count: 50}, signal})) {
 *   e.lossTerms.rpnObjectness; e.evaluation?.AP50;
 * }
 */
export function trainSceneDetector(detector: TrainableDetector, options: TrainSceneDetectorOptions): AsyncGenerator<ProgressEvent, FitResult> {
  const op = 'trainSceneDetector';
  const { steps } = options;
  if (!Number.isInteger(steps) || steps < 1) fail(op, 'steps', 'a positive whole number', String(steps));
  const schedule: ScheduleSpec = { type: 'warmup-cosine', lr: options.lr ?? SCENE_TRAINING.lr, warmupSteps: Math.min(options.warmupSteps ?? SCENE_TRAINING.warmupSteps, steps) };
  const evaluate = options.evaluate;
  if (evaluate) {
    if (!Number.isInteger(evaluate.every) || evaluate.every < 1) fail(op, 'evaluate.every', 'a positive whole number of steps', String(evaluate.every));
    assertInRange(op, 'evaluate.count', evaluate.count, 1, SCENE_BENCHMARK.count);
  }
  return train({
    step: (b: SceneBatch) => detector.trainStep(b),
    variables: detector.variables,
    data: () => trainingSceneBatches({ batchSize: options.batchSize, seed: options.dataSeed, batches: steps }),
    optimizer: SCENE_TRAINING.optimizer,
    schedule,
    steps,
    signal: options.signal,
    onProgress: options.onProgress,
    evaluate: evaluate && {
      every: evaluate.every,
      fn: async () => {
        const r = await evaluateSceneDetector(detector, { count: evaluate.count, signal: options.signal });
        return { AP: r.AP, AP50: r.AP50, AP75: r.AP75 };
      },
    },
  });
}
