import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { seededRandom } from '../util/random';
import { runLayers } from './layer-graph';
import { checkClass } from './target';

/**
 * Class visualisation by gradient ascent (Simonyan et al. 2014, sec. 2, with
 * Yosinski et al. 2015's regularisers): from a blank grey image, repeatedly
 * jitter it by a random shift, step up the gradient of the class logit minus
 * λ‖x‖² (L2 decay), shift it back, blur it every `blurEvery` steps with a
 * 3 × 3 Gaussian and clip it to [0, 1]. Returns `[1, H, W, C]`.
 */
export interface ClassVisualisationOptions {
  steps?: number;
  learningRate?: number;
  l2?: number;
  jitter?: number;
  blurEvery?: number;
  seed?: number;
  /** Called after each step with the step number and the class logit; return false to stop. */
  onStep?: (step: number, logit: number) => boolean | void | Promise<boolean | void>;
}

export async function classVisualisation(model: tf.LayersModel, target: number, options: ClassVisualisationOptions = {}): Promise<tf.Tensor4D> {
  const op = 'classVisualisation';
  checkClass(op, model, target);
  const { steps = 60, learningRate = 0.05, l2 = 0.01, jitter = 2, blurEvery = 4, seed = 1, onStep } = options;
  if (!Number.isInteger(steps) || steps < 0) fail(op, 'steps', 'a non-negative integer', String(steps));
  const shape = model.inputs[0].shape.slice(1) as number[];
  const rand = seededRandom(seed);
  const channels = shape[2];
  const blurKernel = tf.tidy(() => {
    const g = tf.tensor1d([1, 2, 1]);
    const k2 = tf.div(tf.outerProduct(g, g), 16);
    return tf.tile(tf.reshape(k2, [3, 3, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
  });
  let x: tf.Tensor4D = tf.fill([1, shape[0], shape[1], shape[2]], 0.5) as tf.Tensor4D;
  try {
    for (let s = 0; s < steps; s++) {
      const dy = Math.round((rand() * 2 - 1) * jitter);
      const dx = Math.round((rand() * 2 - 1) * jitter);
      const [next, logit] = tf.tidy(() => {
        const shifted = roll(x, dy, dx);
        const f = (v: tf.Tensor) => tf.sub(tf.squeeze(tf.slice(runLayers(model, v).output, [0, target], [1, 1])), tf.mul(l2, tf.sum(tf.square(v)))) as tf.Scalar;
        const { value, grad } = tf.valueAndGrad(f)(shifted);
        const step = tf.div(grad, tf.add(tf.mean(tf.abs(grad)), 1e-8));
        let y = roll(tf.add(shifted, tf.mul(step, learningRate)) as tf.Tensor4D, -dy, -dx);
        if (blurEvery > 0 && (s + 1) % blurEvery === 0) y = tf.depthwiseConv2d(y, blurKernel, 1, 'same');
        return [tf.clipByValue(y, 0, 1) as tf.Tensor4D, value];
      });
      x.dispose();
      x = next;
      const v = (await logit.data())[0];
      logit.dispose();
      if ((await onStep?.(s + 1, v)) === false) break;
    }
    return x;
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    blurKernel.dispose();
  }
}

/** Cyclic shift of a `[1, H, W, C]` image by (dy, dx) pixels. */
function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const sy = ((dy % h) + h) % h;
  const sx = ((dx % w) + w) % w;
  let y: tf.Tensor4D = x;
  if (sy) y = tf.concat([tf.slice(y, [0, h - sy, 0, 0], [-1, sy, -1, -1]), tf.slice(y, [0, 0, 0, 0], [-1, h - sy, -1, -1])], 1);
  if (sx) y = tf.concat([tf.slice(y, [0, 0, w - sx, 0], [-1, -1, sx, -1]), tf.slice(y, [0, 0, 0, 0], [-1, -1, w - sx, -1])], 2);
  return y;
}
