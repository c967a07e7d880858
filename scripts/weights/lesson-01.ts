/**
 * Lesson 1's shipped weights: an MLP and a small CNN on MNIST (train split),
 * scored on the test split and on the test split shifted by 4 px up, down,
 * left and right: the MLP loses much more accuracy under the shift than the CNN.
 */
import * as tf from '@tensorflow/tfjs';
import { stat, writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { shiftImages } from '../../src/data/shift';
import { mlpClassifier, smallCnnClassifier } from '../../src/models/index';
import { evaluateAccuracy, fit, saveModelToDir, type ScheduleSpec } from '../../src/train';
import type { WeightsContext } from './context';

const SHIFT = 4;

interface Recipe {
  name: string;
  build: () => tf.LayersModel;
  builder: string;
  epochs: number;
  batchSize: number;
  optimizer: 'adam';
  schedule: ScheduleSpec;
  seed: number;
}

function recipes(quick: boolean): Recipe[] {
  return [
  {
    name: 'mlp',
    build: () => mlpClassifier({ hidden: [128], seed: 1 }),
    builder: 'mlpClassifier({hidden: [128], seed: 1})',
    epochs: quick ? 1 : 8,
    batchSize: 64,
    optimizer: 'adam',
    schedule: { type: 'cosine', lr: 0.002 },
    seed: 1,
  },
  {
    name: 'cnn',
    build: () => smallCnnClassifier({ filters: [16, 32, 32], head: 'global', seed: 1 }),
    builder: "smallCnnClassifier({filters: [16, 32, 32], head: 'global', seed: 1})",
    epochs: quick ? 1 : 12,
    batchSize: 64,
    optimizer: 'adam',
    schedule: { type: 'warmup-cosine', lr: 0.005, warmupSteps: 50 },
    seed: 1,
  },
  ];
}

async function shiftedAccuracy(model: tf.LayersModel): Promise<number> {
  const shifts: [number, number][] = [[SHIFT, 0], [-SHIFT, 0], [0, SHIFT], [0, -SHIFT]];
  let sum = 0;
  for (const [dx, dy] of shifts) {
    sum += await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }), (xs) => shiftImages(xs as tf.Tensor4D, dx, dy));
  }
  return sum / shifts.length;
}

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const limit = quick ? 1024 : undefined;
  for (const r of recipes(quick)) {
    const model = r.build();
    const stepsPerEpoch = Math.ceil((limit ?? 8000) / r.batchSize);
    const t0 = performance.now();
    const result = await fit({
      model,
      data: (epoch) => mnistBatches({ split: 'train', batchSize: r.batchSize, seed: r.seed * 1000 + epoch, limit }),
      epochs: r.epochs,
      totalSteps: stepsPerEpoch * r.epochs,
      optimizer: r.optimizer,
      schedule: r.schedule,
      onProgress: (e) => {
        if (e.step % 50 === 0) console.log(`${r.name} step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} acc ${(e.metrics.accuracy ?? 0).toFixed(3)} ${e.imagesPerSecond.toFixed(0)} img/s`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const testAcc = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
    const shiftAcc = await shiftedAccuracy(model);
    const dir = `${outRoot}/lesson-01/${r.name}`;
    const files = await saveModelToDir(model, dir);
    const bytes = files.weights.length + files.modelJson.length;
    console.log(`${r.name}: ${result.steps} steps in ${seconds.toFixed(1)} s, test ${(testAcc * 100).toFixed(2)}%, shifted ${(shiftAcc * 100).toFixed(2)}%, ${bytes} bytes`);
    if (bytes > 2e6) throw new Error(`${r.name}: weights are ${bytes} bytes, over the 2 MB limit.`);
    await writeFile(
      `${dir}/README.md`,
      `# Lesson 1: ${r.name.toUpperCase()} on MNIST

Made by \`npm run train:weights\` (scripts/weights/lesson-01.ts); do not edit by hand.

| | |
| --- | --- |
| model | \`${r.builder}\` (src/models/backbones/small-classifiers.ts), ${model.countParams().toLocaleString('en')} parameters |
| data | MNIST from \`mnist@1.1.0\`, train split (packed images 0..7999), inputs 0..1, no augmentation |
| recipe | ${r.epochs} epochs x ${stepsPerEpoch} steps, batch ${r.batchSize}, ${r.optimizer}, schedule \`${JSON.stringify(r.schedule)}\`, categorical cross-entropy |
| seed | ${r.seed} (weights init), batch order seed ${r.seed * 1000} + epoch |
| backend | Node, tfjs 4.22 \`${backend}\` |
| training time | ${seconds.toFixed(1)} s (${result.steps} steps) |
| test accuracy | ${(testAcc * 100).toFixed(2)}% (2,000 test digits) |
| shifted test accuracy | ${(shiftAcc * 100).toFixed(2)}% (mean over the test split shifted ${SHIFT} px right, left, down, up; zero fill) |
| files | model.json + weights.bin, ${bytes.toLocaleString('en')} bytes |
  `,
    );
    model.dispose();
  }
  const size = await stat(`${outRoot}/lesson-01/mlp/weights.bin`);
  console.log(`done; mlp weights.bin ${size.size} bytes`);

}
