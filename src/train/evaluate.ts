import * as tf from '@tensorflow/tfjs';

/**
 * Classification accuracy of `model` over `{xs, ys}` batches (ys one-hot or
 * class indices); disposes each batch, as `fit` does. An optional `transform`
 * maps each input batch first (e.g. shift it to test robustness).
 *
 * @example
 * const acc = await evaluateAccuracy(model, await mnistBatches({split: 'test', batchSize: 500}));
 */
export async function evaluateAccuracy(
  model: tf.LayersModel,
  batches: Iterable<{ xs: tf.Tensor; ys: tf.Tensor }> | AsyncIterable<{ xs: tf.Tensor; ys: tf.Tensor }>,
  transform?: (xs: tf.Tensor) => tf.Tensor,
): Promise<number> {
  let correct = 0;
  let total = 0;
  for await (const { xs, ys } of batches as AsyncIterable<{ xs: tf.Tensor; ys: tf.Tensor }>) {
    const hits = tf.tidy(() => {
      const input = transform ? transform(xs) : xs;
      const pred = tf.argMax(model.predict(input) as tf.Tensor, 1);
      const truth = ys.rank === 2 ? tf.argMax(ys, 1) : ys.toInt();
      return tf.sum(tf.equal(pred, truth).toInt());
    });
    correct += (await hits.data())[0];
    total += xs.shape[0];
    tf.dispose([hits, xs, ys]);
  }
  return total > 0 ? correct / total : 0;
}
