/**
 * Lesson 5's DINO-tiny (`ssl.createDino()`, src/models/ssl/dino.ts) trained on
 * MNIST's train split without labels; scored by the weighted k-NN accuracy
 * (k 20, T 0.07) of the teacher's class-token features: bank = 1,000 train
 * digits, queries = 500 test digits. The untrained network's and raw pixels'
 * k-NN accuracy are recorded beside it.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { ssl } from '../../src/models';
import { makeSchedule, saveModelToDir, setLearningRate, type ScheduleSpec } from '../../src/train';
import type { WeightsContext } from './context';

const SEED = 1;
const BATCH = 32;
const SCHEDULE: ScheduleSpec = { type: 'warmup-cosine', lr: 0.001, warmupSteps: 50 };

/** k-NN accuracy of `features(xs)` with bank = first `bankCount` train digits, queries = first `queryCount` test digits. */
export async function knnScore(features: (xs: tf.Tensor4D) => tf.Tensor2D, bankCount = 1000, queryCount = 500): Promise<number> {
  const bank = (await mnistBatches({ split: 'train', batchSize: bankCount, limit: bankCount, shuffle: false, labels: 'index' })).next().value!;
  const query = (await mnistBatches({ split: 'test', batchSize: queryCount, limit: queryCount, labels: 'index' })).next().value!;
  const fb = features(bank.xs);
  const fq = features(query.xs);
  const acc = await ssl.knnAccuracy(fb, await bank.ys.data(), fq, await query.ys.data());
  tf.dispose([bank.xs, bank.ys, query.xs, query.ys, fb, fq]);
  return acc;
}

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const steps = quick ? 10 : 300;
  const dino = ssl.createDino({ seed: SEED });
  const teacherFeatures = (xs: tf.Tensor4D) => dino.features(xs);
  const pixels = await knnScore((xs) => tf.tidy(() => xs.reshape([xs.shape[0], -1]) as tf.Tensor2D));
  const untrained = await knnScore(teacherFeatures);
  console.log(`k-NN: pixels ${pixels.toFixed(3)}, untrained teacher ${untrained.toFixed(3)}`);
  const opt = tf.train.adam(SCHEDULE.lr);
  const schedule = makeSchedule(SCHEDULE);
  const data = await mnistBatches({ split: 'train', batchSize: BATCH, seed: SEED, epochs: Math.ceil((steps * BATCH) / 8000) + 1 });
  const history: { step: number; loss: number; knn?: number }[] = [{ step: 0, loss: NaN, knn: untrained }];
  const probe = (await mnistBatches({ split: 'test', batchSize: 200, limit: 200 })).next().value!;
  const t0 = performance.now();
  let trainMs = 0;
  for (let step = 0; step < steps; step++) {
    const { xs, ys } = data.next().value!;
    setLearningRate(opt, schedule(step, steps));
    const s0 = performance.now();
    const r = await dino.trainStep(xs as tf.Tensor4D, opt, { step, totalSteps: steps });
    trainMs += performance.now() - s0;
    tf.dispose([xs, ys]);
    if ((step + 1) % 50 === 0 || step === steps - 1) {
      const knn = await knnScore(teacherFeatures);
      const stats = await dino.collapseStats(probe.xs as tf.Tensor4D);
      history.push({ step: step + 1, loss: r.loss, knn });
      console.log(`dino step ${step + 1}/${steps} loss ${r.loss.toFixed(4)} k-NN ${knn.toFixed(3)} momentum ${r.momentum.toFixed(4)} entropy ${stats.entropy.toFixed(2)} spread ${stats.spread.toFixed(3)} distinct ${stats.distinct}`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const final = history[history.length - 1].knn!;
  const dir = `${outRoot}/lesson-05/dino-tiny`;
  let bytes = 0;
  for (const part of ['student', 'teacher'] as const) {
    const f = await saveModelToDir(dino[part], `${dir}/${part}`);
    bytes += f.weights.length + f.modelJson.length;
  }
  await mkdir(dir, { recursive: true });
  const center = Array.from(await dino.center.data());
  await writeFile(`${dir}/training.json`, JSON.stringify({ config: dino.config, steps, batch: BATCH, schedule: SCHEDULE, backend, seconds: Math.round(seconds), msPerStep: trainMs / steps, knn: final, untrainedKnn: untrained, pixelKnn: pixels, knnProtocol: { k: 20, temperature: 0.07, bank: 1000, queries: 500 }, history, center }, null, 1) + '\n');
  await writeFile(
    `${dir}/README.md`,
    `# Lesson 5: DINO-tiny on MNIST

Made by \`npm run train:weights -- --only lesson-05-dino\` (scripts/weights/lesson-05-dino.ts); do not edit by hand.
\`student/\` and \`teacher/\` are model files (image → [class-token features, head output]); the centre is in \`training.json\`.

| | |
| --- | --- |
| model | \`ssl.createDino({seed: ${SEED}})\`: ViT 7x7 patches, D ${dino.config.dim}, ${dino.config.depth} blocks; head ${dino.config.headHidden} → ${dino.config.bottleneck} → ${dino.config.outDim} prototypes; ${dino.student.countParams().toLocaleString('en')} parameters each |
| data | MNIST train split, no labels; ${dino.config.globalCrops} global + ${dino.config.localCrops} local crops per image |
| recipe | ${steps} steps, batch ${BATCH}, adam \`${JSON.stringify(SCHEDULE)}\`; τ_s ${dino.config.studentTemp}, τ_t ${dino.config.teacherTemp}, centre momentum ${dino.config.centerMomentum}, teacher momentum ${dino.config.teacherMomentumBase} → 1 (cosine) |
| backend | Node, tfjs \`${backend}\`, ${seconds.toFixed(0)} s (${(trainMs / steps).toFixed(0)} ms a step) |
| score | weighted k-NN (k 20, T 0.07) of the teacher's features, bank 1,000 train / 500 test digits: **${(final * 100).toFixed(1)}%** (untrained network ${(untrained * 100).toFixed(1)}%, raw pixels ${(pixels * 100).toFixed(1)}%) |
| files | ${bytes.toLocaleString('en')} bytes |
`,
  );
  console.log(`dino-tiny: k-NN ${(final * 100).toFixed(1)}% (untrained ${(untrained * 100).toFixed(1)}%, pixels ${(pixels * 100).toFixed(1)}%), ${seconds.toFixed(0)} s`);
  tf.dispose([probe.xs, probe.ys]);
  opt.dispose();
  dino.dispose();
}
