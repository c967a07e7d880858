import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../../data/mnist';
import { accuracyOn, checkKnob, firstDigits, type DigitSet, type Experiment } from './common';

/** Lesson 2, AlexNet's dropout: 784-256-256-10 (Adam, lr 0.001) on the first 300 training digits, 240 steps of 50 (40 epochs). */
export const DROPOUT_RECIPE = { steps: 240, batchSize: 50, trainDigits: 300, lr: 0.001, dataSeed: 3, every: 20, units: 256 };

export interface DropoutResult {
  rate: number;
  /** Accuracy on the 300 training digits and on the test digits, every `every` steps. */
  curves: { step: number; train: number; test: number }[];
}

/** The net with dropout `rate` after each hidden layer (0: none), trained long enough to learn its 300 digits by heart. */
export async function dropoutExperiment(opts: { rate: number; test: DigitSet }): Promise<Experiment<DropoutResult>> {
  const rate = checkKnob('dropoutExperiment', 'rate', opts.rate, 0, 0.95);
  const r = DROPOUT_RECIPE;
  const few = await firstDigits('train', r.trainDigits);
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
  for (let i = 0; i < 2; i++) {
    model.add(tf.layers.dense({ units: r.units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 30 + i }) }));
    if (rate > 0) model.add(tf.layers.dropout({ rate, seed: 40 + i }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }) }));
  const curves: DropoutResult['curves'] = [];
  return {
    steps: r.steps,
    fitOptions: {
      model,
      data: await mnistBatches({ split: 'train', batchSize: r.batchSize, seed: r.dataSeed, limit: r.trainDigits, epochs: Math.ceil((r.steps * r.batchSize) / r.trainDigits) }),
      steps: r.steps,
      optimizer: 'adam',
      schedule: r.lr,
      evaluate: {
        every: r.every,
        fn: async ({ step }) => {
          const row = { step, train: await accuracyOn(model, few), test: await accuracyOn(model, opts.test) };
          curves.push(row);
          return { trainAccuracy: row.train, testAccuracy: row.test };
        },
      },
    },
    result: async () => ({ rate, curves: [...curves] }),
    dispose: () => {
      model.dispose();
      tf.dispose([few.xs, few.labels]);
    },
  };
}
