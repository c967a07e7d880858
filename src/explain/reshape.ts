import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';

/**
 * pytorch-grad-cam's `reshape_transform`: turns a target layer's output into
 * the `[1, h, w, C]` map every CAM works on. Convolutional maps pass through;
 * a transformer's `[1, T, D]` tokens become the patch grid, dropping a leading
 * class token when T - 1 (not T) is a square (ViT); Swin's stages are already
 * `[1, h, w, C]`.
 */
export function toSpatial(x: tf.Tensor): tf.Tensor4D {
  if (x.rank === 4) return x as tf.Tensor4D;
  if (x.rank === 3) {
    const [b, t, d] = x.shape;
    const side = Math.round(Math.sqrt(t));
    if (side * side === t) return tf.reshape(x, [b, side, side, d]);
    const inner = Math.round(Math.sqrt(t - 1));
    if (inner * inner === t - 1) return tf.reshape(tf.slice(x, [0, 1, 0], [b, t - 1, d]), [b, inner, inner, d]);
    fail('toSpatial', 'activations', 'tokens [1, T, D] with T or T - 1 a square (a patch grid, maybe with a class token)', `[${x.shape}]`);
  }
  fail('toSpatial', 'activations', 'a [1, h, w, C] map or [1, T, D] tokens', `[${x.shape}]`);
}
