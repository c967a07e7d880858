import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/** What detect accepts: a `[H, W, 1]` tensor of values in 0..1, or a scene (`{width, height, channels, image}`, as `data.digitScenes` makes). */
export type SceneImage = tf.Tensor3D | { width: number; height: number; channels: number; image: Float32Array };

/**
 * A `[1, H, W, C]` batch from a scene or an image tensor, checked against the
 * detector's input: same size, same channels, values in 0..1. The caller disposes it.
 */
export function sceneImageBatch(op: string, image: SceneImage, inputShape: [number, number, number]): tf.Tensor4D {
  const [H, W, C] = inputShape;
  const want = `a [${H}, ${W}, ${C}] tensor of values in 0..1 or a ${W}x${H} scene with ${C} channel${C > 1 ? 's' : ''}`;
  let values: ArrayLike<number>;
  if (image instanceof tf.Tensor) {
    if (image.rank !== 3 || image.shape[0] !== H || image.shape[1] !== W || image.shape[2] !== C) fail(op, 'image', want, `shape [${image.shape}]`);
    values = image.dataSync();
  } else if (image && typeof image === 'object' && image.image instanceof Float32Array) {
    if (image.width !== W || image.height !== H || image.channels !== C) fail(op, 'image', want, `a ${image.width}x${image.height} scene with ${image.channels} channels`);
    values = image.image;
  } else {
    return fail(op, 'image', want, image === null ? 'null' : typeof image);
  }
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= 1)) fail(op, 'image', want, `${values[i]} at flat index ${i}`);
  }
  return tf.tensor4d(values as Float32Array, [1, H, W, C], 'float32');
}
