/**
 * Lesson 4's shipped weights: the digits Swin (`buildBackbone('swin_tiny')`, C = 16,
 * 4 stages on 8x8 tokens) trained on MNIST's train split, scored on the test split.
 * The lesson shows its learned relative position bias and its stage outputs, and
 * starts its live retrain from it.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { buildBackbone } from '../../src/models/backbones';
import { evaluateAccuracy, fit, saveModelToDir, type ScheduleSpec } from '../../src/train';
import type { WeightsContext } from './context';

const BUILDER = "buildBackbone('swin_tiny', {seed: 1})";
const SEED = 1;
const BATCH = 64;
const SCHEDULE: ScheduleSpec = { type: 'warmup-cosine', lr: 0.004, warmupSteps: 40 };

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const epochs = quick ? 1 : 4;
  const limit = quick ? 512 : undefined;
  const model = buildBackbone('swin_tiny', { seed: SEED });
  const stepsPerEpoch = Math.ceil((limit ?? 8000) / BATCH);
  const t0 = performance.now();
  const result = await fit({
    model,
    loss: 'softmaxCrossEntropy',
    data: (epoch) => mnistBatches({ split: 'train', batchSize: BATCH, seed: SEED * 1000 + epoch, limit }),
    epochs,
    totalSteps: stepsPerEpoch * epochs,
    optimizer: 'adam',
    schedule: SCHEDULE,
    onProgress: (e) => {
      if (e.step % 25 === 0) console.log(`swin_tiny step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} acc ${(e.metrics.accuracy ?? 0).toFixed(3)} ${e.imagesPerSecond.toFixed(0)} img/s`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const testAcc = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
  const dir = `${outRoot}/lesson-04/swin-tiny`;
  const files = await saveModelToDir(model, dir);
  const bytes = files.weights.length + files.modelJson.length;
  console.log(`swin_tiny: ${result.steps} steps in ${seconds.toFixed(1)} s, test ${(testAcc * 100).toFixed(2)}%, ${bytes} bytes`);
  if (bytes > 5e6) throw new Error(`swin_tiny: weights are ${bytes} bytes, over the 5 MB limit.`);
  await writeFile(
    `${dir}/README.md`,
    `# Lesson 4: the digits Swin on MNIST

Made by \`npm run train:weights -- --only lesson-04\` (scripts/weights/lesson-04.ts); do not edit by hand.

| | |
| --- | --- |
| model | \`${BUILDER}\` (src/models/backbones/swin.ts), ${model.countParams().toLocaleString('en')} parameters; outputs logits |
| data | MNIST from \`mnist@1.1.0\`, train split (packed images 0..7999), inputs 0..1, no augmentation |
| recipe | ${epochs} epochs x ${stepsPerEpoch} steps, batch ${BATCH}, adam, schedule \`${JSON.stringify(SCHEDULE)}\`, softmax cross-entropy on the logits |
| seed | ${SEED} (weights init), batch order seed ${SEED * 1000} + epoch |
| backend | Node, tfjs 4.22 \`${backend}\` |
| training time | ${seconds.toFixed(1)} s (${result.steps} steps) |
| test accuracy | ${(testAcc * 100).toFixed(2)}% (2,000 test digits) |
| files | model.json + weights.bin, ${bytes.toLocaleString('en')} bytes |
`,
  );
  model.dispose();
}
