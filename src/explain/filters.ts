import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { findLayer } from './layer-graph';

/**
 * A convolution's filters for drawing (as in Krizhevsky et al. 2012, fig. 3):
 * the kernel `[kh, kw, in, out]` as `out` filters `[kh, kw, in]`, each
 * min-max scaled to [0, 1] on its own (the sign of a weight matters less than
 * the pattern). Layers without a 4-D kernel are refused with the ones that have one.
 */
export function filterWeights(model: tf.LayersModel, layer: string): tf.Tensor4D {
  const l = findLayer('filterWeights', model, layer);
  const kernel = l.getWeights()[0];
  if (!kernel || kernel.rank !== 4) {
    const convs = model.layers.filter((m) => m.getWeights()[0]?.rank === 4).map((m) => m.name);
    fail('filterWeights', 'layer', `a convolution: one of ${convs.join(', ')}`, layer);
  }
  return tf.tidy(() => {
    const k = tf.transpose(kernel, [3, 0, 1, 2]);
    const lo = tf.min(k, [1, 2, 3], true);
    const hi = tf.max(k, [1, 2, 3], true);
    return tf.div(tf.sub(k, lo), tf.add(tf.sub(hi, lo), 1e-8)) as tf.Tensor4D;
  });
}
