import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from './packed';
import { createRng } from '../util/random';

/**
 * A classification batch. The consumer owns both tensors and disposes them
 * (or wraps its step in tf.tidy); the iterator keeps no reference.
 */
export interface ClassBatch {
  /** [B, 28, 28, 1], values 0..1. */
  xs: tf.Tensor4D;
  /** [B, 10] one-hot (or [B] int32 class indices with `labels: 'index'`). */
  ys: tf.Tensor;
}

export interface BatchOptions {
  split?: 'train' | 'test';
  batchSize?: number;
  /** Shuffle seed; the same seed gives the same batch order. */
  seed?: number;
  /** Shuffle the split each epoch (default: true for train, false for test). */
  shuffle?: boolean;
  /** Number of passes over the split (default 1). */
  epochs?: number;
  /** Use only the first `limit` images of the split. */
  limit?: number;
  /** Drop the last partial batch (default false). */
  dropRemainder?: boolean;
  /** 'onehot' (default) gives [B,10] float32, 'index' gives [B] int32. */
  labels?: 'onehot' | 'index';
}

/** Image indices [start, end) of a split inside a packed set. */
export interface SplitRange {
  start: number;
  end: number;
}

/**
 * Yields batches from `set[range]`. Deterministic for a given seed: epoch e
 * shuffles with the stream `createRng(seed)` continued across epochs.
 *
 * @example
 * for (const {xs, ys} of imageSetBatches(set, {start: 0, end: 8000}, {batchSize: 64, seed: 1})) { ...; xs.dispose(); ys.dispose(); }
 */
export function* imageSetBatches(set: ImageSet, range: SplitRange, opts: BatchOptions = {}): Generator<ClassBatch> {
  const batchSize = opts.batchSize ?? 64;
  const shuffle = opts.shuffle ?? opts.split !== 'test';
  const epochs = opts.epochs ?? 1;
  const n = Math.min(range.end - range.start, opts.limit ?? Infinity);
  const rng = createRng(opts.seed ?? 0);
  const size = set.rows * set.cols;
  for (let e = 0; e < epochs; e++) {
    const order = Array.from({ length: n }, (_, i) => range.start + i);
    if (shuffle) rng.shuffle(order);
    for (let b = 0; b < n; b += batchSize) {
      const idx = order.slice(b, b + batchSize);
      if (idx.length < batchSize && opts.dropRemainder) break;
      const x = new Float32Array(idx.length * size);
      const y = new Int32Array(idx.length);
      idx.forEach((k, i) => {
        const off = k * size;
        for (let p = 0; p < size; p++) x[i * size + p] = set.pixels[off + p] / 255;
        y[i] = set.labels[k];
      });
      const xs = tf.tensor4d(x, [idx.length, set.rows, set.cols, 1]);
      const ys = opts.labels === 'index' ? tf.tensor1d(y, 'int32') : tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), 10).toFloat());
      yield { xs, ys };
    }
  }
}

/** One image of a packed set as floats 0..1 (rows*cols values). */
export function imageAt(set: ImageSet, index: number): Float32Array {
  const size = set.rows * set.cols;
  const out = new Float32Array(size);
  for (let p = 0; p < size; p++) out[p] = set.pixels[index * size + p] / 255;
  return out;
}
