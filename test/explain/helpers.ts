import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../../src/data/mnist';
import { loadSiteModel } from '../../src/train/io';

/** The shipped Lesson 1 CNN (conv 16-32-32, GAP, dense softmax; weights/lesson-01/cnn). */
export function lesson1Cnn(): Promise<tf.LayersModel> {
  return loadSiteModel('weights/lesson-01/cnn/model.json');
}

/** The first `n` MNIST test digits as `[n, 28, 28, 1]` and their labels. */
export async function testDigits(n: number): Promise<{ xs: tf.Tensor4D; labels: number[] }> {
  const { xs, ys } = (await mnistBatches({ split: 'test', batchSize: n, limit: n, labels: 'index' })).next().value!;
  const labels = Array.from(await ys.data(), Number);
  ys.dispose();
  return { xs: xs as tf.Tensor4D, labels };
}

/** Digit `i` of a batch as `[1, 28, 28, 1]`. */
export function digit(xs: tf.Tensor4D, i: number): tf.Tensor4D {
  return tf.slice(xs, [i, 0, 0, 0], [1, -1, -1, -1]);
}
