/**
 * Lesson 5's MAE-tiny (`ssl.createMae()`, src/models/ssl/mae.ts) trained on
 * MNIST's train split without labels, 75% of the 49 patches masked; scored by
 * its reconstruction loss (MSE on the masked patches) on test digits at 75%
 * with a fixed mask seed. The page shows its reconstructions and retrains it live.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { ssl } from '../../src/models';
import { fit, saveModelToDir, type ScheduleSpec } from '../../src/train';
import type { WeightsContext } from './context';

const SEED = 1;
const BATCH = 32;
const MASK_RATIO = 0.75;
const SCHEDULE: ScheduleSpec = { type: 'warmup-cosine', lr: 0.002, warmupSteps: 50 };

/** Masked-patch MSE on `count` test digits at `ratio`, mask seed 5: the score the page recomputes. */
export async function maeTestLoss(mae: ssl.Mae, count: number, ratio = MASK_RATIO): Promise<number> {
  const { xs, ys } = (await mnistBatches({ split: 'test', batchSize: count, limit: count })).next().value!;
  const loss = tf.tidy(() => mae.forward(xs as tf.Tensor4D, { maskRatio: ratio, seed: 5 }).loss);
  const v = (await loss.data())[0];
  tf.dispose([xs, ys, loss]);
  return v;
}

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const steps = quick ? 20 : 500;
  const mae = ssl.createMae({ seed: SEED });
  const before = await maeTestLoss(mae, 500);
  const history: { step: number; loss: number }[] = [];
  const t0 = performance.now();
  await fit({
    step: (b: { xs: tf.Tensor; ys: tf.Tensor }, ctx) => ({ loss: mae.loss(b.xs as tf.Tensor4D, { maskRatio: MASK_RATIO, seed: SEED * 100_000 + ctx.step }) }),
    variables: mae.variables,
    data: await mnistBatches({ split: 'train', batchSize: BATCH, seed: SEED, epochs: Math.ceil((steps * BATCH) / 8000) + 1 }),
    steps,
    optimizer: 'adam',
    schedule: SCHEDULE,
    onProgress: (e) => {
      if (e.step % 50 === 0) {
        history.push({ step: e.step, loss: e.loss });
        console.log(`mae step ${e.step}/${steps} loss ${e.loss.toFixed(4)}`);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const after = await maeTestLoss(mae, 500);
  const dir = `${outRoot}/lesson-05/mae-tiny`;
  let bytes = 0;
  for (const part of ['embed', 'encoder', 'decoder'] as const) {
    const f = await saveModelToDir(mae[part], `${dir}/${part}`);
    bytes += f.weights.length + f.modelJson.length;
  }
  await mkdir(dir, { recursive: true });
  const record = { config: mae.config, maskRatio: MASK_RATIO, steps, batch: BATCH, schedule: SCHEDULE, backend, seconds: Math.round(seconds), testLoss: after, untrainedTestLoss: before, testCount: 500, maskSeed: 5, history };
  await writeFile(`${dir}/training.json`, JSON.stringify(record, null, 1) + '\n');
  await writeFile(
    `${dir}/README.md`,
    `# Lesson 5: MAE-tiny on MNIST

Made by \`npm run train:weights -- --only lesson-05-mae\` (scripts/weights/lesson-05-mae.ts); do not edit by hand.
Three model files (\`embed/\`, \`encoder/\`, \`decoder/\`), loaded by the lesson into \`new ssl.Mae(config, models)\`.

| | |
| --- | --- |
| model | \`ssl.createMae({seed: ${SEED}})\`: 4x4 patches (49), encoder D ${mae.config.dim} x ${mae.config.depth} blocks on the visible patches, decoder D ${mae.config.decoderDim} x ${mae.config.decoderDepth}; ${mae.countParams().toLocaleString('en')} parameters |
| data | MNIST train split (8,000 digits), no labels, no augmentation |
| recipe | ${steps} steps, batch ${BATCH}, mask ratio ${MASK_RATIO}, adam, \`${JSON.stringify(SCHEDULE)}\`, pixel targets (normPixLoss off, so reconstructions are pixels) |
| backend | Node, tfjs \`${backend}\`, ${seconds.toFixed(0)} s |
| score | masked-patch MSE on 500 test digits at 75%, mask seed 5: **${after.toFixed(4)}** (untrained: ${before.toFixed(4)}) |
| files | ${bytes.toLocaleString('en')} bytes |
`,
  );
  console.log(`mae-tiny: test masked MSE ${after.toFixed(4)} (untrained ${before.toFixed(4)}), ${seconds.toFixed(0)} s, ${bytes} bytes`);
  mae.dispose();
}
