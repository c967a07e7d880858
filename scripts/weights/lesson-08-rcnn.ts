/**
 * Lesson 8's R-CNN and Fast R-CNN (Faster R-CNN's weights come from lesson-08.ts): both trained
 * on 128x128 digit scenes of the MNIST train split, selective-search proposals computed once per
 * training scene, the course loop (`train`), Adam with warm-up and cosine decay. Each model is
 * written as model.json + weights.bin (the lesson builds the detector around them with
 * `createRcnn({classifier})` / `createFastRcnn({body, head})`), with training.json (loss curves)
 * and, scored on the scene benchmark, scores.json and a README.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { digitScenes, DIGIT_CLASSES, sceneBatchesFrom, type Scene } from '../../src/data/index';
import { createFastRcnn, createRcnn, type FastRcnn, type Rcnn } from '../../src/models/index';
import { train as trainLoop, saveModelToDir } from '../../src/train/index';
import type { WeightsContext } from './context';

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

/** The shipped architectures (also what the lesson builds around the weights). */
export const buildShippedRcnn = (): Rcnn => createRcnn({ numClasses: 10, classNames: DIGIT_CLASSES, seed: RCNN_FAMILY_RECIPE.seed });
export const buildShippedFastRcnn = (): FastRcnn => createFastRcnn({ numClasses: 10, classNames: DIGIT_CLASSES, seed: RCNN_FAMILY_RECIPE.seed });

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
    const dir = `${outRoot}/lesson-08/${name}`;
    await mkdir(dir, { recursive: true });
    let bytes = 0;
    for (const [part, model] of Object.entries(det.models)) {
      const files = await saveModelToDir(model, `${dir}/${part}`);
      bytes += files.weights.length + files.modelJson.length;
    }
    if (bytes > 2e6) throw new Error(`${name}: weights are ${bytes} bytes, over the 2 MB limit.`);
    const params = det.variables.reduce((s, v) => s + v.size, 0);
    const record = { recipe: { ...r, steps: quick ? 4 : steps }, backend, seconds, params, bytes, selectiveSearchMsPerScene: ssMs, curve };
    await writeFile(`${dir}/training.json`, JSON.stringify(record));
    console.log(`${name}: ${steps} steps in ${seconds.toFixed(0)} s, ${params} parameters, ${bytes} bytes`);
    det.dispose();
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}
