import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../../data/mnist';
import { shiftImages } from '../../data/shift';
import { createRng, type Rng } from '../../util/random';
import { smallCnnClassifier } from '../../models/index';
import { accuracyOn, checkKnob, type DigitBatch, type DigitSet, type Experiment } from './common';

/** Lesson 2, AlexNet's augmentation: Lesson 1's small CNN (8, 16 filters; Adam, lr 0.003) on 300 digits, 200 steps of 50. */
export const AUGMENTATION_RECIPE = { filters: [16, 32], head: 'flatten' as const, steps: 200, batchSize: 50, trainDigits: 300, lr: 0.003, dataSeed: 4, shiftSeed: 11, every: 25, testShift: 3 };

export interface AugmentationResult {
  maxShift: number;
  /** Accuracy on the test digits and on them shifted `testShift` px right and down, every `every` steps. */
  curves: { step: number; test: number; shifted: number }[];
}

/**
 * Every image moved by its own whole-pixel offset in [-max, max]^2 (zero
 * padding, then a crop: cropAndResize of same-size boxes at whole pixels
 * copies the pixels exactly). A random crop is a random translation.
 */
export function randomShifts(xs: tf.Tensor4D, max: number, rng: Rng): tf.Tensor4D {
  return tf.tidy(() => {
    if (max === 0) return xs.clone();
    const [b, h, w] = xs.shape;
    const padded = xs.pad([[0, 0], [max, max], [max, max], [0, 0]]) as tf.Tensor4D;
    const H = h + 2 * max - 1, W = w + 2 * max - 1;
    const boxes: number[][] = [];
    for (let i = 0; i < b; i++) {
      const y0 = rng.int(0, 2 * max), x0 = rng.int(0, 2 * max);
      boxes.push([y0 / H, x0 / W, (y0 + h - 1) / H, (x0 + w - 1) / W]);
    }
    return tf.image.cropAndResize(padded, tf.tensor2d(boxes), tf.range(0, b, 1, 'int32') as tf.Tensor1D, [h, w]);
  });
}

/** The small CNN trained on 300 digits, each batch shifted at random by up to `maxShift` px (0: no augmentation). */
export async function augmentationExperiment(opts: { maxShift: number; test: DigitSet }): Promise<Experiment<AugmentationResult>> {
  const max = checkKnob('augmentationExperiment', 'maxShift', opts.maxShift, 0, 8, true);
  const r = AUGMENTATION_RECIPE;
  const model = smallCnnClassifier({ filters: r.filters, head: r.head, seed: 3 });
  const rng = createRng(r.shiftSeed);
  const shifted = { xs: shiftImages(opts.test.xs, r.testShift, r.testShift), labels: opts.test.labels };
  const source = await mnistBatches({ split: 'train', batchSize: r.batchSize, seed: r.dataSeed, limit: r.trainDigits, epochs: Math.ceil((r.steps * r.batchSize) / r.trainDigits) });
  function* batches(): Generator<DigitBatch> {
    for (const { xs, ys } of source) {
      const moved = randomShifts(xs as tf.Tensor4D, max, rng);
      xs.dispose();
      yield { xs: moved, ys };
    }
  }
  const curves: AugmentationResult['curves'] = [];
  return {
    steps: r.steps,
    fitOptions: {
      model,
      data: batches(),
      steps: r.steps,
      optimizer: 'adam',
      schedule: r.lr,
      evaluate: {
        every: r.every,
        fn: async ({ step }) => {
          const row = { step, test: await accuracyOn(model, opts.test), shifted: await accuracyOn(model, shifted) };
          curves.push(row);
          return { testAccuracy: row.test, shiftedAccuracy: row.shifted };
        },
      },
    },
    result: async () => ({ maxShift: max, curves: [...curves] }),
    dispose: () => {
      model.dispose();
      shifted.xs.dispose();
    },
  };
}
