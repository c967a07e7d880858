import * as tf from '@tensorflow/tfjs';
import type { Scene } from '../../src/data/scene';
import type { SceneBatch } from '../../src/data/scene-batches';
import { SCENE_BENCHMARK_DETECT } from '../../src/models/detectors/scene-benchmark';
import type { TrainableDetector } from '../../src/models/detectors/types';

/**
 * One scene detector's speed on the current backend, the same in Node and in
 * Chromium: median ms of `detect` over `scenes` (the benchmark's, with its
 * options) after a warm-up, and median ms of one Adam training step
 * (`trainStep` inside `minimize`, loss read back) on `batch` after a warm-up.
 * Disposes the batch's images.
 */
export async function timeSceneDetector(det: TrainableDetector, scenes: Scene[], batch: SceneBatch, reps: { detect: number; step: number }): Promise<{ detectMs: number; stepMs: number; batchSize: number }> {
  const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
  await det.detect(scenes[0], { ...SCENE_BENCHMARK_DETECT });
  const detect: number[] = [];
  for (let i = 0; i < reps.detect; i++) {
    const t0 = performance.now();
    await det.detect(scenes[i % scenes.length], { ...SCENE_BENCHMARK_DETECT });
    detect.push(performance.now() - t0);
  }
  const opt = tf.train.adam(1e-4);
  const step = async () => {
    const loss = opt.minimize(() => det.trainStep(batch).loss, true, det.variables)!;
    await loss.data();
    loss.dispose();
  };
  await step();
  const steps: number[] = [];
  for (let i = 0; i < reps.step; i++) {
    const t0 = performance.now();
    await step();
    steps.push(performance.now() - t0);
  }
  opt.dispose();
  const batchSize = batch.images.shape[0];
  batch.images.dispose();
  return { detectMs: median(detect), stepMs: median(steps), batchSize };
}
