/**
 * Lesson 2's small runs, shipped as curves: AlexNet's ReLU (hidden layers
 * 1..8), dropout (rate 0..0.9), augmentation (random shifts up to 0..4 px)
 * and GoogLeNet's auxiliary loss (weight 0..1), one run for every value the
 * page's sliders offer, each with the recipe in src/train/experiments (the
 * same code the page's "Retrain live" buttons run). Writes
 * weights/lesson-02/ideas/training.json and a README. The lesson's claims about
 * them are checked by test/train/lesson-02-ideas.test.ts.
 *
 * An experiment whose recipe and knob values equal those of the runs already in
 * the file is not trained again (its runs are kept as they are): changing one
 * recipe re-trains that experiment only. Delete the file to re-train all.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fit } from '../../src/train';
import {
  ACTIVATION_RECIPE, AUGMENTATION_RECIPE, AUX_LOSS_RECIPE, DROPOUT_RECIPE,
  activationExperiment, augmentationExperiment, auxLossExperiment, dropoutExperiment, firstDigits, type Experiment,
} from '../../src/train/experiments/index';
import type { WeightsContext } from './context';

/** The sliders' values (lessons/02-classic-cnns/index.md: actDepth, dropRate, augShift, auxWeight). */
export const IDEA_KNOBS = {
  hiddenLayers: [1, 2, 3, 4, 5, 6, 7, 8],
  dropoutRate: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  maxShift: [0, 1, 2, 3, 4],
  auxWeight: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
};
/** The test digits every run is scored on: the first 500 of the MNIST test split, as in the page. */
export const IDEA_TEST_DIGITS = 500;

const round = (v: number) => Math.round(v * 1e4) / 1e4;
const rounded = <T>(x: T): T => JSON.parse(JSON.stringify(x, (_, v) => (typeof v === 'number' ? round(v) : v)));

async function run<R>(make: () => Promise<Experiment<R>>, quick: boolean): Promise<R> {
  const e = await make();
  try {
    await fit({ ...e.fitOptions, ...(quick ? { steps: 4 } : {}) });
    return rounded(await e.result());
  } finally {
    e.dispose();
  }
}

export async function train(ctx: WeightsContext): Promise<void> {
  const t0 = Date.now();
  const test = await firstDigits('test', IDEA_TEST_DIGITS);
  const before = tf.memory().numTensors;
  const pick = <T>(values: T[]) => (ctx.quick ? values.slice(0, 2) : values);
  const dir = `${ctx.outRoot}/lesson-02/ideas`;
  const recipes = { activation: ACTIVATION_RECIPE, dropout: DROPOUT_RECIPE, augmentation: AUGMENTATION_RECIPE, auxLoss: AUX_LOSS_RECIPE };
  const old = await readFile(`${dir}/training.json`, 'utf8').then((t) => JSON.parse(t) as Record<string, any>, () => null);
  /** The runs of one experiment: kept from the file when its recipe and knob values are unchanged, else trained. */
  async function runs<R>(kind: keyof typeof recipes, key: string, values: number[], make: (v: number) => Promise<Experiment<R>>): Promise<R[]> {
    const kept = old?.[kind] as Record<string, unknown>[] | undefined;
    if (!ctx.quick && kept && JSON.stringify(old!.recipes?.[kind]) === JSON.stringify(recipes[kind]) && JSON.stringify(kept.map((r) => r[key])) === JSON.stringify(values)) {
      console.log(`  ${kind}: recipe unchanged, keeping the ${kept.length} shipped runs`);
      return kept as R[];
    }
    const out: R[] = [];
    for (const v of values) out.push(await run(() => make(v), ctx.quick));
    return out;
  }
  try {
    const activation = await runs('activation', 'hiddenLayers', pick(IDEA_KNOBS.hiddenLayers), (hiddenLayers) => activationExperiment({ hiddenLayers, test }));
    console.log(`  activation: ${activation.map((a) => `${a.hiddenLayers}: ${JSON.stringify(a.accuracy)}`).join('; ')}`);
    const dropout = await runs('dropout', 'rate', pick(IDEA_KNOBS.dropoutRate), (rate) => dropoutExperiment({ rate, test }));
    console.log(`  dropout: ${dropout.map((d) => `${d.rate}: ${JSON.stringify(d.curves.at(-1))}`).join('; ')}`);
    const augmentation = await runs('augmentation', 'maxShift', pick(IDEA_KNOBS.maxShift), (maxShift) => augmentationExperiment({ maxShift, test }));
    console.log(`  augmentation: ${augmentation.map((a) => `${a.maxShift}: ${JSON.stringify(a.curves.at(-1))}`).join('; ')}`);
    const auxLoss = await runs('auxLoss', 'weight', pick(IDEA_KNOBS.auxWeight), (weight) => auxLossExperiment({ weight, test }));
    console.log(`  aux loss: ${auxLoss.map((a) => `${a.weight}: grad ${a.gradients.at(-1)?.gradient} acc ${a.accuracy}`).join('; ')}`);
    if (tf.memory().numTensors !== before) throw new Error(`lesson-02-ideas: ${tf.memory().numTensors - before} tensors leaked`);

    await mkdir(dir, { recursive: true });
    const seconds = Math.round((Date.now() - t0) / 1000);
    await writeFile(`${dir}/training.json`, JSON.stringify({ backend: ctx.backend, seconds, testDigits: IDEA_TEST_DIGITS, recipes, activation, dropout, augmentation, auxLoss }));
    await writeFile(`${dir}/README.md`, `# Lesson 2: the small runs of the AlexNet and GoogLeNet sections

\`training.json\` holds one run for every value of the page's sliders, made by \`npm run train:weights -- --only lesson-02-ideas\`
(scripts/weights/lesson-02-ideas.ts) with the recipes of \`src/train/experiments/\`, the code the page's
"Retrain live" buttons run. Every run is scored on the first ${IDEA_TEST_DIGITS} MNIST test digits.

| run | knob values | recipe |
| --- | --- | --- |
| ReLU vs tanh vs sigmoid (MLP, 64 units per hidden layer) | hidden layers ${IDEA_KNOBS.hiddenLayers.join(', ')} | ${JSON.stringify(ACTIVATION_RECIPE)} |
| dropout (784-256-256-10 on 300 digits) | rate ${IDEA_KNOBS.dropoutRate.join(', ')} | ${JSON.stringify(DROPOUT_RECIPE)} |
| augmentation (small CNN on 300 digits, random shifts) | max shift ${IDEA_KNOBS.maxShift.join(', ')} px | ${JSON.stringify(AUGMENTATION_RECIPE)} |
| auxiliary loss (plain_tiny, aux head after stage 1) | weight ${IDEA_KNOBS.auxWeight.join(', ')} | ${JSON.stringify(AUX_LOSS_RECIPE)} |

Backend ${ctx.backend}; ${seconds} s for the last run of the script (an experiment whose recipe did not change keeps its runs).
`);
    console.log(`  wrote ${dir}/training.json (${seconds} s)`);
  } finally {
    tf.dispose([test.xs, test.labels]);
  }
}
