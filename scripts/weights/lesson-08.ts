/**
 * Lesson 8's shipped Faster R-CNN + FPN (`SCENE_DETECTORS`' 'faster-rcnn',
 * src/models/detectors/scene-detectors.ts) trained from scratch on fresh digit
 * scenes of MNIST's train split with the course loop (`trainSceneDetector`),
 * scored on the scene-detection benchmark (`evaluateSceneDetector`: 500 test-split
 * scenes, COCO AP). Writes detector.json + weights.bin, README.md, scores.json
 * (the full benchmark and the subset the shipped-weights test re-measures) and
 * training.json (per-loss curves, AP during training).
 */
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { FASTER_RCNN_SCENE, SCENE_DETECTORS } from '../../src/models/detectors/scene-detectors';
import { SCENE_BENCHMARK, evaluateSceneDetector, type SceneBenchmarkResult } from '../../src/models/detectors/scene-benchmark';
import { SCENE_TRAINING, trainSceneDetector } from '../../src/train/scene-detector';
import { saveDetectorToDir } from '../../src/models/detectors/detector-weights';
import type { TrainableDetector } from '../../src/models/detectors/types';
import type { WeightsContext } from './context';

/** Scenes of the benchmark the shipped-weights test re-measures (the full 500 take minutes). */
export const TEST_SUBSET = 50;

/**
 * Everything a scene detector's weights depend on, so Cascade R-CNN
 * (scripts/weights/lesson-09.ts) trains on exactly the same recipe.
 */
export const FASTER_RCNN_RECIPE = Object.freeze({
  architecture: FASTER_RCNN_SCENE,
  training: SCENE_TRAINING,
  steps: 500,
  /** AP on the benchmark's first `count` scenes every `every` steps, for the curve in training.json. */
  evaluate: Object.freeze({ every: 250, count: 50 }),
});

export interface TrainedSceneRecord {
  steps: number;
  seconds: number;
  params: number;
  bytes: number;
  benchmark: SceneBenchmarkResult;
  subset: SceneBenchmarkResult;
}

/**
 * Trains one `SCENE_DETECTORS` entry with `FASTER_RCNN_RECIPE` and writes its files into
 * `outRoot/<entry.weights>`; shared by lesson-08.ts and lesson-09.ts.
 */
export async function trainAndShip(name: string, { quick, outRoot, backend }: WeightsContext, title: string): Promise<TrainedSceneRecord> {
  const entry = SCENE_DETECTORS.get(name);
  const steps = quick ? 20 : FASTER_RCNN_RECIPE.steps;
  const evaluate = quick ? { every: 10, count: 4 } : FASTER_RCNN_RECIPE.evaluate;
  const dir = `${outRoot}/${entry.weights}`;
  const det: TrainableDetector = entry.create();
  const params = det.variables.reduce((s, v) => s + v.size, 0);
  const curve: { step: number; loss: number; terms: Record<string, number>; lr: number; seconds: number }[] = [];
  const evaluations: { step: number; seconds: number; AP: number; AP50: number; AP75: number }[] = [];
  const t0 = performance.now();
  for await (const e of trainSceneDetector(det, { steps, evaluate })) {
    if (e.step % 10 === 0 || e.step === steps) curve.push({ step: e.step, loss: e.loss, terms: e.lossTerms, lr: e.lr, seconds: e.elapsedMs / 1000 });
    if (e.step % 25 === 0) console.log(`${name} step ${e.step}/${steps} loss ${e.loss.toFixed(3)} ${Object.entries(e.lossTerms).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ')} ${(e.elapsedMs / 1000).toFixed(0)} s`);
    if (e.evaluation) {
      const { AP, AP50, AP75 } = e.evaluation;
      evaluations.push({ step: e.step, seconds: e.elapsedMs / 1000, AP, AP50, AP75 });
      console.log(`${name} step ${e.step}: AP ${AP.toFixed(3)} AP50 ${AP50.toFixed(3)} AP75 ${AP75.toFixed(3)} on ${evaluate.count} scenes`);
      // A checkpoint at every evaluation, so a run cut short still leaves its last weights.
      await saveDetectorToDir(det, dir);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const files = await saveDetectorToDir(det, dir);
  const bytes = files.weights.length + files.manifest.length;
  if (bytes > 5e6) throw new Error(`${name}: weights are ${bytes} bytes, over the 5 MB limit.`);
  const subsetCount = quick ? 4 : TEST_SUBSET;
  const subset = await evaluateSceneDetector(det, { count: subsetCount });
  const benchmark = quick ? subset : await evaluateSceneDetector(det, { onProgress: (i, n) => i % 100 === 0 && console.log(`${name} benchmark ${i}/${n}`) });
  const pct = (v: number): string => (100 * v).toFixed(1);
  console.log(`${name}: ${steps} steps in ${seconds.toFixed(0)} s; benchmark AP ${pct(benchmark.AP)} AP50 ${pct(benchmark.AP50)} AP75 ${pct(benchmark.AP75)}; ${bytes} bytes`);
  const record: TrainedSceneRecord = { steps, seconds, params, bytes, benchmark, subset };
  await writeFile(`${dir}/scores.json`, JSON.stringify({
    madeBy: `npm run train:weights (scripts/weights/${name === 'faster-rcnn' ? 'lesson-08' : 'lesson-09'}.ts)`,
    detector: name, recipe: FASTER_RCNN_RECIPE, backend, tfjs: tf.version.tfjs,
    benchmark: { ...SCENE_BENCHMARK, count: benchmark.images, ...benchmark },
    subset: { ...SCENE_BENCHMARK, count: subset.images, ...subset },
    steps, seconds, params, bytes,
  }, null, 2));
  await writeFile(`${dir}/training.json`, JSON.stringify({ detector: name, evaluateOn: evaluate.count, curve, evaluations }));
  const row = (r: SceneBenchmarkResult): string => `${pct(r.AP)} | ${pct(r.AP50)} | ${pct(r.AP75)} | ${pct(r.APs)} | ${pct(r.APm)} | ${pct(r.APl)} | ${r.msPerImage.toFixed(0)}`;
  await writeFile(`${dir}/README.md`, `# ${title}

Made by \`npm run train:weights\` (scripts/weights/${name === 'faster-rcnn' ? 'lesson-08' : 'lesson-09'}.ts); do not edit by hand.
\`models.loadSceneDetector('${name}')\` loads these files (format: src/models/detectors/detector-weights.ts).

| | |
| --- | --- |
| model | \`SCENE_DETECTORS.get('${name}').create()\`: ${JSON.stringify(FASTER_RCNN_SCENE)}, ${params.toLocaleString('en')} parameters |
| data | fresh 128x128 digit scenes each step (\`trainingSceneBatches\`: the benchmark's layout, MNIST train split), seed ${SCENE_TRAINING.dataSeed} |
| recipe | ${steps} steps, batch ${SCENE_TRAINING.batchSize}, ${SCENE_TRAINING.optimizer}, lr ${SCENE_TRAINING.lr} with ${SCENE_TRAINING.warmupSteps} warmup steps then cosine |
| backend | Node, tfjs ${tf.version.tfjs} \`${backend}\` |
| training time | ${seconds.toFixed(0)} s |
| files | detector.json + weights.bin, ${bytes.toLocaleString('en')} bytes |

Scene-detection benchmark (\`digitScenes(${JSON.stringify(SCENE_BENCHMARK)})\`, COCO AP in %):

| scenes | AP | AP50 | AP75 | APs | APm | APl | ms/image |
| --- | --- | --- | --- | --- | --- | --- | --- |
| ${benchmark.images} (the benchmark) | ${row(benchmark)} |
| first ${subset.images} (re-measured by test/models/detectors/shipped-scene-detectors.test.ts) | ${row(subset)} |
`);
  det.dispose();
  return record;
}

export async function train(context: WeightsContext): Promise<void> {
  await trainAndShip('faster-rcnn', context, 'Lesson 8: Faster R-CNN + FPN on digit scenes');
}
