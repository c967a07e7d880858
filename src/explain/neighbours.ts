import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';

/**
 * Nearest neighbours in feature space (Krizhevsky et al. 2012, fig. 4: the
 * images whose last hidden features are closest to a query's): cosine
 * similarity between rows of `features` `[N, D]`, the `k` most similar rows
 * to row `query` (itself excluded), best first.
 */
export function nearestNeighbours(features: tf.Tensor2D, query: number, k = 5): { index: number; similarity: number }[] {
  const n = features.shape[0];
  if (!Number.isInteger(query) || query < 0 || query >= n) fail('nearestNeighbours', 'query', `a row index from 0 to ${n - 1}`, String(query));
  const sims = tf.tidy(() => {
    const unit = tf.div(features, tf.add(tf.norm(features, 'euclidean', 1, true), 1e-12));
    return tf.reshape(tf.matMul(unit, tf.slice(unit, [query, 0], [1, -1]), false, true), [n]).dataSync();
  });
  return Array.from(sims, (similarity, index) => ({ index, similarity }))
    .filter((r) => r.index !== query)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}
