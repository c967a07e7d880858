/**
 * Lesson 8's R-CNN and Fast R-CNN (Faster R-CNN's weights come from lesson-08.ts): both trained
 * on 128x128 digit scenes of the MNIST train split, selective-search proposals computed once per
 * training scene, the course loop (`train`), Adam with warm-up and cosine decay. Written as the
 * scene detectors' detector.json + weights.bin (`REGION_DETECTORS` builds the architecture,
 * `loadRegionDetector` loads them), with training.json (loss curves), scores.json (the scene
 * benchmark, `evaluateSceneDetector`) and a README.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { digitScenes, sceneBatchesFrom, type Scene } from '../../src/data/index';
import { REGION_DETECTORS, evaluateSceneDetector, type FastRcnn, type Rcnn, type SceneBenchmarkResult } from '../../src/models/index';
import { saveDetectorToDir } from '../../src/models/detectors/detector-weights';
import { train as trainLoop } from '../../src/train/index';
import type { WeightsContext } from './context';

/**
 * Benchmark scenes each detector is scored on. R-CNN classifies ~100 regions a scene one at a time
 * (about a second a scene in Node), so it is scored on the benchmark's first 100 scenes, not all 500.
 */
export const BENCHMARK_COUNT = { rcnn: 100, 'fast-rcnn': 500 } as const;
/** The first scenes the shipped-weights test re-measures (test/models/detectors/rcnn-shipped.test.ts). */
export const TEST_SUBSET = 10;

/** What both recipes share: the data, the schedule; `steps` differ. */
export const RCNN_FAMILY_RECIPE = Object.freeze({
  data: Object.freeze({ seed: 8, count: 600, size: 128, split: 'train' as const }),
  batchSize: 2,
  optimizer: 'adam' as const,
  lr: 0.002,
  warmupSteps: 50,
  seed: 1,
  rcnn: Object.freeze({ steps: 900 }),
  fastRcnn: Object.freeze({ steps: 900 }),
});

const buildShippedRcnn = () => REGION_DETECTORS.get('rcnn').create() as Rcnn;
const buildShippedFastRcnn = () => REGION_DETECTORS.get('fast-rcnn').create() as FastRcnn;

type RegionDetector = Rcnn | FastRcnn;

async function fitDetector(name: string, det: RegionDetector, scenes: Scene[], proposals: Map<number, number[][]>, steps: number) {
  const r = RCNN_FAMILY_RECIPE;
  const curve: { step: number; loss: number; classifier: number; box: number }[] = [];
  const t0 = performance.now();
  const data = (epoch: number) =>
    (function* () {
      for (const b of sceneBatchesFrom(scenes, { batchSize: r.batchSize, seed: r.seed * 1000 + epoch, dropRemainder: true })) {
        yield { ...b, proposals: b.ids.map((id) => proposals.get(id)!) };
      }
    })();
  for await (const e of trainLoop({
    step: (b) => det.trainStep(b),
    variables: det.variables,
    data,
    epochs: 1000,
    steps,
    optimizer: r.optimizer,
    schedule: { type: 'warmup-cosine', lr: r.lr, warmupSteps: r.warmupSteps },
  })) {
    if (e.step % 10 === 0 || e.step === steps) curve.push({ step: e.step, loss: e.loss, classifier: e.lossTerms.classifier, box: e.lossTerms.box });
    if (e.step % 50 === 0) console.log(`${name} step ${e.step}/${steps} loss ${e.loss.toFixed(4)} ${JSON.stringify(e.lossTerms)} ${((performance.now() - t0) / e.step).toFixed(0)} ms/step`);
  }
  return { curve, seconds: (performance.now() - t0) / 1000 };
}

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const r = RCNN_FAMILY_RECIPE;
  const scenes = await digitScenes({ ...r.data, count: quick ? 16 : r.data.count });
  const probe = buildShippedRcnn();
  const t0 = performance.now();
  const proposals = new Map(scenes.map((s) => [s.id, probe.propose(s) as number[][]]));
  const ssMs = (performance.now() - t0) / scenes.length;
  probe.dispose();
  console.log(`selective search: ${ssMs.toFixed(1)} ms a scene, ${(Array.from(proposals.values()).reduce((a, p) => a + p.length, 0) / scenes.length).toFixed(1)} boxes a scene`);
  for (const [name, build, steps] of [
    ['rcnn', buildShippedRcnn, r.rcnn.steps],
    ['fast-rcnn', buildShippedFastRcnn, r.fastRcnn.steps],
  ] as const) {
    const det = build();
    const { curve, seconds } = await fitDetector(name, det, scenes, proposals, quick ? 4 : steps);
    const record = { recipe: { ...r, steps: quick ? 4 : steps }, backend, seconds, selectiveSearchMsPerScene: ssMs, curve };
    await writeShipped(name, det, record, outRoot, quick);
    det.dispose();
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

// COCO gives -1 where the benchmark has no object of that size (no digit is large, over 96² px, in 128 px scenes).
const pct = (v: number) => (v < 0 ? '– (none of that size)' : v.toFixed(3));

/** Saves a trained detector, scores it on the scene benchmark and writes scores.json, training.json and README.md. */
export async function writeShipped(name: 'rcnn' | 'fast-rcnn', det: RegionDetector, record: { recipe: object; backend: string; seconds: number; selectiveSearchMsPerScene: number; curve: unknown[] }, outRoot: string, quick: boolean): Promise<void> {
  const dir = `${outRoot}/lesson-08/${name}`;
  await mkdir(dir, { recursive: true });
  const files = await saveDetectorToDir(det, dir);
  const bytes = files.weights.length + files.manifest.length;
  if (bytes > 2e6) throw new Error(`${name}: weights are ${bytes} bytes, over the 2 MB limit.`);
  const params = det.variables.reduce((s, v) => s + v.size, 0);
  const count = quick ? 4 : BENCHMARK_COUNT[name];
  let last = 0;
  const benchmark: SceneBenchmarkResult = await evaluateSceneDetector(det, {
    count,
    onProgress: (done, total) => {
      if (done - last >= 25 || done === total) console.log(`${name}: benchmark ${(last = done)}/${total}`);
    },
  });
  const subset = await evaluateSceneDetector(det, { count: Math.min(TEST_SUBSET, count) });
  await writeFile(`${dir}/scores.json`, JSON.stringify({ benchmark, subset, params, bytes }, null, 2));
  await writeFile(`${dir}/training.json`, JSON.stringify({ ...record, params, bytes }));
  const title = name === 'rcnn' ? 'R-CNN' : 'Fast R-CNN';
  const arch = name === 'rcnn'
    ? 'selective search (`SCENE_SELECTIVE_SEARCH`: k 0.1, σ 0.8, min size 10) → each region dilated by 2 px of context, warped to 32×32 and classified one at a time by a 3-conv CNN (16-32-64, fc 128) into background + 10 digits, with class-specific box deltas'
    : 'selective search (`SCENE_SELECTIVE_SEARCH`) → one feature map per image (conv 16 at 128², then 24 and 32 channels, stride 4) → RoIPool 7×7 → two-MLP head (128) into background + 10 digits and class-specific box deltas';
  await writeFile(`${dir}/README.md`, `# Lesson 8: ${title} on digit scenes

Made by \`npm run train:weights -- --only lesson-08-rcnn\` (scripts/weights/lesson-08-rcnn.ts); do not edit by hand.
Loaded by \`models.loadRegionDetector('${name}')\` (src/models/detectors/rcnn-shipped.ts).

| | |
| --- | --- |
| model | ${arch}; ${params.toLocaleString('en')} parameters |
| data | \`digitScenes(${JSON.stringify(RCNN_FAMILY_RECIPE.data)})\` (MNIST train split), proposals computed once per scene (${record.selectiveSearchMsPerScene.toFixed(0)} ms a scene) |
| recipe | ${JSON.stringify(record.recipe)} |
| training | ${record.seconds.toFixed(0)} s on Node \`${record.backend}\` (a shared 2-core machine) |
| benchmark | the scene benchmark's first ${benchmark.images} of 500 scenes${benchmark.images < 500 ? ' (R-CNN is slow by design: about a second a scene)' : ''}: AP ${pct(benchmark.AP)}, AP50 ${pct(benchmark.AP50)}, AP75 ${pct(benchmark.AP75)}, APs ${pct(benchmark.APs)}, APm ${pct(benchmark.APm)}, APl ${pct(benchmark.APl)}; ${benchmark.msPerImage.toFixed(0)} ms an image in Node |
| test subset | first ${subset.images} scenes: AP ${pct(subset.AP)}, AP50 ${pct(subset.AP50)} (re-measured by test/models/detectors/rcnn-shipped.test.ts) |
| files | detector.json + weights.bin, ${bytes.toLocaleString('en')} bytes |
`);
  console.log(`${name}: ${JSON.stringify(benchmark)}`);
}
