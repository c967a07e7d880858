// Bundled by bench/suites/scene-detection-chromium.ts and run in Chromium: the shipped scene
// detectors' inference and training-step time on one backend, and how long training from
// scratch takes to reach a benchmark AP50 (what a learner pressing "train from scratch" waits).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { detectSoftwareRenderer, registerWasmTrainingKernels } from '../../src/backends/wasm-training';
import { SCENE_DETECTORS, benchmarkScenes, loadSceneDetector } from '../../src/models/detectors/index';
import { trainSceneDetector, trainingSceneBatches } from '../../src/train/index';
import { timeSceneDetector } from '../workloads/scene-detector-timing';

setWasmPaths('/wasm/');
registerWasmTrainingKernels();

async function use(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
}

async function runSceneTiming(name: string, backend: string, reps: { detect: number; step: number }) {
  await use(backend);
  const before = tf.memory().numTensors;
  const det = await loadSceneDetector(name);
  const scenes = await benchmarkScenes(Math.max(1, reps.detect));
  const r = await timeSceneDetector(det, scenes, (await trainingSceneBatches({ batches: 1 }).next()).value!, reps);
  det.dispose();
  return { ...r, leaked: tf.memory().numTensors - before };
}

/** Trains an untrained `name` with the course recipe until the benchmark's first `evalCount` scenes reach `target` AP50, or `maxSeconds` pass. */
async function runTimeToAp50(name: string, backend: string, o: { target: number; every: number; evalCount: number; maxSeconds: number; steps: number }) {
  await use(backend);
  const det = SCENE_DETECTORS.get(name).create();
  const ctrl = new AbortController();
  const history: { step: number; seconds: number; AP50: number }[] = [];
  let reached: { step: number; seconds: number } | null = null;
  for await (const e of trainSceneDetector(det, { steps: o.steps, evaluate: { every: o.every, count: o.evalCount }, signal: ctrl.signal })) {
    if (e.evaluation) {
      history.push({ step: e.step, seconds: e.elapsedMs / 1000, AP50: e.evaluation.AP50 });
      if (e.evaluation.AP50 >= o.target) reached = { step: e.step, seconds: e.elapsedMs / 1000 };
    }
    if (reached || e.elapsedMs / 1000 > o.maxSeconds) ctrl.abort();
  }
  det.dispose();
  return { reached, history };
}

Object.assign(globalThis, { runSceneTiming, runTimeToAp50, detectSoftwareRenderer });
