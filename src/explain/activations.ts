import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { findLayer, runLayers } from './layer-graph';
import { toSpatial } from './reshape';
import { checkInput } from './target';

/**
 * A layer's activations for one image, `[h, w, C]` (tokens reshaped to the
 * patch grid), and Network Dissection's thresholded masks (Bau et al. 2017,
 * sec. 2.2): channel k's mask is where its activation exceeds its own
 * `quantile` over the map (the paper takes the top 0.5% over a data set; one
 * image's quantile is the in-page version).
 */
export function layerActivations(model: tf.LayersModel, input: tf.Tensor4D, layer: string): tf.Tensor3D {
  checkInput('layerActivations', model, input);
  findLayer('layerActivations', model, layer);
  return tf.tidy(() => tf.squeeze(toSpatial(runLayers(model, input, { capture: [layer] }).captured[layer]), [0]) as tf.Tensor3D);
}

/** `[h, w, C]` activations → `[h, w, C]` 0/1 masks above each channel's `quantile` (0..1). */
export function thresholdMasks(activations: tf.Tensor3D, quantile = 0.9): tf.Tensor3D {
  if (!(quantile >= 0 && quantile < 1)) fail('thresholdMasks', 'quantile', 'a number in [0, 1)', String(quantile));
  return tf.tidy(() => {
    const [h, w, c] = activations.shape;
    const flat = tf.transpose(tf.reshape(activations, [h * w, c]));
    const k = Math.max(1, Math.round((1 - quantile) * h * w));
    const kth = tf.slice(tf.topk(flat, k).values, [0, k - 1], [c, 1]);
    return tf.cast(tf.greaterEqual(activations, tf.reshape(kth, [1, 1, c])), 'float32') as tf.Tensor3D;
  });
}
