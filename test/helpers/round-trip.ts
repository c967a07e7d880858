import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { modelFromFiles, modelToFiles, type SavedModelFiles } from '../../src/train/io';

/**
 * Saves `model` as model.json + weights.bin, loads it back and checks the copy
 * predicts exactly what the original does on a seeded batch of 2 digits
 * (28x28x1): custom layers must serialise their config and every weight.
 * Returns the files so a caller can check their format too.
 */
export async function expectSameAfterRoundTrip(model: tf.LayersModel, seed: number): Promise<SavedModelFiles> {
  const files = await modelToFiles(model);
  const copy = await modelFromFiles(files.modelJson, files.weights);
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', seed);
  const [a, b] = [model.predict(x) as tf.Tensor, copy.predict(x) as tf.Tensor];
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([x, a, b]);
  copy.dispose();
  return files;
}
