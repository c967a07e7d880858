/**
 * Lesson 2's shipped weights: a plain and a residual CIFAR-style net of the
 * same depth (He et al. 2016, section 4.2: 6n+2 layers; `plain_tiny` and
 * `resnet_tiny` of src/models), trained from the same seed on the same MNIST
 * batches. Beside each model.json: a README (recipe and scores) and a
 * training.json (loss per step, per-layer gradient norms at checkpoints, test
 * accuracy) that the lesson draws. The lesson's claim, checked by
 * test/train/lesson-02-weights.test.ts: at this depth the residual net trains
 * where the plain one falls behind.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFile } from 'node:fs/promises';
import { mnistBatches } from '../../src/data/mnist';
import { buildBackbone } from '../../src/models/index';
import { evaluateAccuracy, fit, saveModelToDir } from '../../src/train';
import { gradientNorms as kernelGradientNorms } from '../../src/train/experiments/index';
import type { WeightsContext } from './context';

/** What both nets are built with; the lesson's "shipped runs" text quotes these. */
export const LESSON2_NETS = { depth: 32, widthMultiplier: 0.25, seed: 1 } as const;
export const LESSON2_RECIPE = { steps: 400, batchSize: 32, lr: 0.002, batchSeed: 9, gradEvery: 50, probeDigits: 64 } as const;
export const LESSON2_NAMES = [
  { dir: 'plain', backbone: 'plain_tiny' },
  { dir: 'residual', backbone: 'resnet_tiny' },
] as const;

/** Layer names of projection shortcuts (src/nn's residual join names them `<block>_down_*`). */
export const SHORTCUT_CONV = /_down(_|$)|shortcut|proj/i;

/** The main-path convolutions of a tiny net, input to output (projection shortcuts left out). */
export function mainPathConvs(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'Conv2D' && !SHORTCUT_CONV.test(l.name));
}

/**
 * The L2 norm of the gradient of the mean softmax cross-entropy (the backbones output logits) on one batch with
 * respect to each main-path convolution's kernel, input to output. Uses
 * training mode (batch statistics), as a training step does.
 */
export function gradientNorms(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): number[] {
  const kernels = mainPathConvs(model).map((l) => l.trainableWeights[0].read() as tf.Variable);
  return kernelGradientNorms(kernels, () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar);
}

/** The probe batch of the gradient norms: the first `n` test digits (one-hot labels). */
export async function probeBatch(n: number = LESSON2_RECIPE.probeDigits): Promise<{ xs: tf.Tensor4D; ys: tf.Tensor }> {
  const { xs, ys } = (await mnistBatches({ split: 'test', batchSize: n, limit: n })).next().value!;
  return { xs, ys };
}

export interface TrainingRecord {
  backbone: string;
  depth: number;
  widthMultiplier: number;
  steps: number;
  /** Training loss of every step (4 decimals). */
  lossHistory: number[];
  /** Per-layer gradient norms on the probe batch, input to output, at step 0 and every `gradEvery` steps. */
  gradNorms: { step: number; norms: number[] }[];
  /** On the 2,000 test digits. */
  testAccuracy: number;
}

const round = (v: number, digits: number) => Number(v.toPrecision(digits));

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const r = { ...LESSON2_RECIPE, steps: quick ? 20 : LESSON2_RECIPE.steps, gradEvery: quick ? 10 : LESSON2_RECIPE.gradEvery };
  const probe = await probeBatch();
  for (const { dir, backbone } of LESSON2_NAMES) {
    const model = buildBackbone(backbone, { inputShape: [28, 28, 1], numClasses: 10, depth: LESSON2_NETS.depth, widthMultiplier: LESSON2_NETS.widthMultiplier, seed: LESSON2_NETS.seed });
    const gradNorms: TrainingRecord['gradNorms'] = [{ step: 0, norms: gradientNorms(model, probe.xs, probe.ys).map((v) => round(v, 4)) }];
    const t0 = performance.now();
    const result = await fit({
      model,
      // The same batch order for both nets: only the shortcuts differ between the two runs.
      data: await mnistBatches({ split: 'train', batchSize: r.batchSize, seed: r.batchSeed, epochs: Math.ceil((r.steps * r.batchSize) / 8000) }),
      steps: r.steps,
      loss: 'softmaxCrossEntropy',
      optimizer: 'adam',
      schedule: r.lr,
      evaluate: {
        every: r.gradEvery,
        fn: ({ step }) => {
          gradNorms.push({ step, norms: gradientNorms(model, probe.xs, probe.ys).map((v) => round(v, 4)) });
          return {};
        },
      },
      onProgress: (e) => {
        if (e.step % 50 === 0) console.log(`${dir} step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} ${e.imagesPerSecond.toFixed(0)} img/s`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const testAccuracy = await evaluateAccuracy(model, await mnistBatches({ split: 'test', batchSize: 500 }));
    const lossHistory = result.history.map((e) => round(e.loss, 4));
    const tail = lossHistory.slice(-50).reduce((s, v) => s + v, 0) / Math.min(50, lossHistory.length);
    const out = `${outRoot}/lesson-02/${dir}`;
    const files = await saveModelToDir(model, out);
    const bytes = files.weights.length + files.modelJson.length;
    if (bytes > 2e6) throw new Error(`${dir}: weights are ${bytes} bytes, over the 2 MB limit.`);
    const record: TrainingRecord = { backbone, depth: LESSON2_NETS.depth, widthMultiplier: LESSON2_NETS.widthMultiplier, steps: result.steps, lossHistory, gradNorms, testAccuracy };
    await writeFile(`${out}/training.json`, JSON.stringify(record));
    const last = gradNorms.at(-1)!.norms;
    console.log(`${dir}: ${result.steps} steps in ${seconds.toFixed(1)} s, test ${(testAccuracy * 100).toFixed(2)}%, last-50 loss ${tail.toFixed(4)}, ${bytes} bytes`);
    await writeFile(
      `${out}/README.md`,
      `# Lesson 2: ${backbone} (${dir}) on MNIST

Made by \`npm run train:weights\` (scripts/weights/lesson-02.ts); do not edit by hand.

| | |
| --- | --- |
| model | \`buildBackbone('${backbone}', {inputShape: [28, 28, 1], numClasses: 10, depth: ${LESSON2_NETS.depth}, widthMultiplier: ${LESSON2_NETS.widthMultiplier}, seed: ${LESSON2_NETS.seed}})\` (src/models), ${model.countParams().toLocaleString('en')} parameters (${mainPathConvs(model).length} main-path convolutions) |
| data | MNIST from \`mnist@1.1.0\`, train split (packed images 0..7999), inputs 0..1, no augmentation |
| recipe | ${result.steps} steps, batch ${r.batchSize}, adam, constant learning rate ${r.lr}, softmax cross-entropy on the logits |
| seed | ${LESSON2_NETS.seed} (weights init), batch order seed ${r.batchSeed} (the same batches for the plain and the residual net) |
| backend | Node, tfjs 4.22 \`${backend}\` |
| training time | ${seconds.toFixed(1)} s (${result.steps} steps) |
| test accuracy | ${(testAccuracy * 100).toFixed(2)}% (2,000 test digits) |
| mean training loss, last 50 steps | ${tail.toFixed(4)} |
| gradient norm, first / last main-path conv | ${round(last[0]! / last.at(-1)!, 3)} (step ${gradNorms.at(-1)!.step}, on the first ${r.probeDigits} test digits) |
| files | model.json + weights.bin, ${bytes.toLocaleString('en')} bytes; training.json (loss per step, gradient norms every ${r.gradEvery} steps) |
`,
    );
    model.dispose();
  }
  tf.dispose([probe.xs, probe.ys]);
}
