import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';

/**
 * The cascading randomisation of Adebayo et al. 2018 ("Sanity Checks for
 * Saliency Maps", sec. 3.1): re-draw the trainable weights of the top `count`
 * weighted layers (output first), each tensor from a normal with the trained
 * tensor's own standard deviation, so activations keep their scale while
 * what was learnt is gone. Works in place and returns `restore`, which puts
 * the trained weights back (and frees the copies).
 */
export function weightedLayers(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.name);
}

export function randomiseTopLayers(model: tf.LayersModel, count: number, seed = 1): () => void {
  const layers = model.layers.filter((l) => l.trainableWeights.length > 0).reverse();
  if (!Number.isInteger(count) || count < 0 || count > layers.length) fail('randomiseTopLayers', 'count', `an integer from 0 to ${layers.length} (the model's weighted layers)`, String(count));
  const saved = layers.slice(0, count).map((layer) => {
    const trained = layer.trainableWeights.map((w) => tf.clone(w.read()));
    tf.tidy(() => {
      layer.trainableWeights.forEach((w, i) => {
        const v = trained[i];
        const std = tf.moments(v).variance.sqrt().dataSync()[0] || 0.05;
        w.write(tf.randomNormal(v.shape, 0, std, 'float32', seed * 1000 + i + 17 * layers.indexOf(layer)));
      });
    });
    return { layer, trained };
  });
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const { layer, trained } of saved) {
      layer.trainableWeights.forEach((w, i) => w.write(trained[i]));
      tf.dispose(trained);
    }
  };
}
