import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/**
 * Weighted k-nearest-neighbour accuracy of frozen features, DINO's evaluation
 * (`eval_knn.py`, after Wu et al. 2018): features L2-normalised, cosine
 * similarity of each test image to every bank image, the k most similar vote
 * for their label with weight exp(sim / T); accuracy of the top vote. No
 * training: it measures how well the features alone group the classes.
 */
export async function knnAccuracy(
  bank: tf.Tensor2D, bankLabels: ArrayLike<number>, queries: tf.Tensor2D, queryLabels: ArrayLike<number>,
  opts: { k?: number; temperature?: number; classes?: number } = {},
): Promise<number> {
  const k = opts.k ?? 20;
  const T = opts.temperature ?? 0.07;
  const classes = opts.classes ?? 10;
  if (bank.shape[0] !== bankLabels.length) fail('knnAccuracy', 'bankLabels', `one label per bank row (${bank.shape[0]})`, String(bankLabels.length));
  if (queries.shape[0] !== queryLabels.length) fail('knnAccuracy', 'queryLabels', `one label per query row (${queries.shape[0]})`, String(queryLabels.length));
  if (!Number.isInteger(k) || k < 1 || k > bank.shape[0]) fail('knnAccuracy', 'k', `a whole number in [1, ${bank.shape[0]}] (the bank's size)`, String(k));
  const { values, indices } = tf.tidy(() => {
    const unit = (t: tf.Tensor2D) => tf.div(t, tf.maximum(tf.norm(t, 2, 1, true), 1e-12)) as tf.Tensor2D;
    return tf.topk(tf.matMul(unit(queries), unit(bank), false, true), k);
  });
  const [sims, idx] = await Promise.all([values.data(), indices.data()]);
  tf.dispose([values, indices]);
  let correct = 0;
  const votes = new Float64Array(classes);
  for (let q = 0; q < queryLabels.length; q++) {
    votes.fill(0);
    for (let j = 0; j < k; j++) votes[bankLabels[idx[q * k + j]]] += Math.exp(sims[q * k + j] / T);
    let best = 0;
    for (let c = 1; c < classes; c++) if (votes[c] > votes[best]) best = c;
    if (best === queryLabels[q]) correct++;
  }
  return correct / queryLabels.length;
}
