import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/** Tensor-argument checks of the core ops; their errors read like `util/validate`'s. */

export function toTensor(op: string, arg: string, x: tf.Tensor | tf.TensorLike): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  try {
    return tf.tensor(x as tf.TensorLike, undefined, 'float32');
  } catch (e) {
    return fail(op, arg, 'a tensor or a (nested) array of numbers', (e as Error).message);
  }
}

/** Checks a `[N,4]` box tensor; an empty `[0,4]` is allowed. */
export function assertBoxes(op: string, arg: string, boxes: tf.Tensor): asserts boxes is tf.Tensor2D {
  if (boxes.rank !== 2 || boxes.shape[1] !== 4) fail(op, arg, 'a [N,4] tensor of boxes', `shape [${boxes.shape}]`);
}
