/**
 * Lesson 9's shipped weights: Cascade R-CNN (SCENE_DETECTORS' 'cascade-rcnn', src/models/detectors/cascade-rcnn)
 * trained from scratch with the shipped Faster R-CNN's recipe (`trainSceneDetector`: batches of 4 fresh digit
 * scenes of MNIST's train split, Adam, warmup then cosine from 0.002), checkpointed every few steps. Then
 * scripts/weights/cascade-score.ts scores it on the scene-detection benchmark (the cascade and each stage alone,
 * AP at every IoU threshold) and writes README.md and scores.json beside the weights;
 * test/models/detectors/cascade-weights.test.ts re-measures the subset it records.
 */
import { writeFile } from 'node:fs/promises';
import { createSceneCascadeRcnn, type CascadeRcnn } from '../../src/models/detectors/cascade-rcnn/index';
import { saveDetectorToDir } from '../../src/models/detectors/index';
import { trainSceneDetector } from '../../src/train/index';
import type { WeightsContext } from './context';
import { FASTER_RCNN_RECIPE } from './lesson-08';

/**
 * FASTER_RCNN_RECIPE's training (SCENE_TRAINING) with fewer steps: the run that made the shipped weights had
 * the shared 2-core machine under a load of ~25 and made ~30 s a step, so its 500 steps did not fit; the
 * warmup is shortened with it so that the cosine still ends at 0. `npm run train:weights -- --only lesson-09`
 * with `LESSON09_STEPS=500 LESSON09_WARMUP=100` trains the full recipe.
 */
export const CASCADE_RECIPE = Object.freeze({
  training: FASTER_RCNN_RECIPE.training,
  steps: Number(process.env.LESSON09_STEPS ?? 80),
  warmupSteps: Number(process.env.LESSON09_WARMUP ?? 20),
  checkpointEvery: 10,
});

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

async function trainCascade(ctx: WeightsContext): Promise<void> {
  const { quick, outRoot, backend } = ctx;
  const r = { ...CASCADE_RECIPE, steps: quick ? 10 : CASCADE_RECIPE.steps, warmupSteps: quick ? 2 : CASCADE_RECIPE.warmupSteps, checkpointEvery: quick ? 5 : CASCADE_RECIPE.checkpointEvery };
  const out = `${outRoot}/lesson-09/cascade-rcnn`;
  const det: CascadeRcnn = createSceneCascadeRcnn();
  const params = det.variables.reduce((s, v) => s + v.size, 0);
  const curve: { step: number; loss: number; lr: number; seconds: number; terms: Record<string, number> }[] = [];
  let steps = 0;
  let seconds = 0;
  // A checkpoint (weights + training.json) every few steps, so a run cut short still leaves its last weights.
  const save = async () => {
    const files = await saveDetectorToDir(det, out);
    const bytes = files.weights.length + files.manifest.length;
    await writeFile(`${out}/training.json`, JSON.stringify({ recipe: r, params, bytes, steps, plannedSteps: r.steps, seconds: Math.round(seconds), backend, curve }));
    return bytes;
  };
  for await (const e of trainSceneDetector(det, { steps: r.steps, warmupSteps: r.warmupSteps })) {
    steps = e.step;
    seconds = e.elapsedMs / 1000;
    curve.push({ step: e.step, loss: r4(e.loss), lr: e.lr, seconds: Math.round(seconds * 10) / 10, terms: Object.fromEntries(Object.entries(e.lossTerms).map(([k, v]) => [k, r4(v)])) });
    if (e.step % 5 === 0) console.log(`cascade step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(3)} lr ${e.lr.toExponential(2)} ${((1000 * seconds) / e.step).toFixed(0)} ms/step`);
    if (e.step % r.checkpointEvery === 0) await save();
  }
  const bytes = await save();
  if (bytes > 5e6) throw new Error(`cascade-rcnn: weights are ${bytes} bytes, over the 5 MB limit.`);
  det.dispose();
  const { writeScores } = await import('./cascade-score');
  await writeScores(out, quick);
}

export async function train(ctx: WeightsContext): Promise<void> {
  // LESSON09_SCORE_ONLY=1: score the weights already in weights/lesson-09/cascade-rcnn (a run cut short).
  if (process.env.LESSON09_SCORE_ONLY) {
    const { writeScores } = await import('./cascade-score');
    return writeScores(`${ctx.outRoot}/lesson-09/cascade-rcnn`, ctx.quick);
  }
  return trainCascade(ctx);
}
