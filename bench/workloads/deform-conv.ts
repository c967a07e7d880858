import * as tf from '@tensorflow/tfjs';
import { deformConv2d } from '../../src/core/index';
import { timeIt } from '../types';

/**
 * The deformConv2d workload, shared by the Node suite (bench/suites/deform-conv.ts) and
 * its Chromium page: [8, 32, 32, 64] input, 3x3 kernel, 64 output channels, padding 1, offsets
 * uniform in ±2 pixels, against tf.conv2d of the same shape.
 */
export const DEFORM_SHAPE = { batch: 8, size: 32, cin: 64, cout: 64, k: 3 };

export interface DeformTimes {
  deform: number;
  conv: number;
  deformGrad: number;
  convGrad: number;
}

/** Median times (ms) of deformConv2d and tf.conv2d, forward and forward+backward, on the current backend. */
export async function timeDeformConv(repeats: number, withBackward = true): Promise<DeformTimes> {
  const { batch, size, cin, cout, k } = DEFORM_SHAPE;
  const x = tf.randomNormal([batch, size, size, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([k, k, cin, cout], 0, 0.05, 'float32', 2) as tf.Tensor4D;
  const offset = tf.randomUniform([batch, size, size, 2 * k * k], -2, 2, 'float32', 3) as tf.Tensor4D;
  const run = (fn: () => tf.Tensor) => timeIt(async () => {
    const out = fn();
    await out.data();
    out.dispose();
  }, repeats);
  const deform = await run(() => deformConv2d(x, offset, w, { padding: 1 }));
  const conv = await run(() => tf.conv2d(x, w, 1, 'same'));
  const grads = (f: (...a: tf.Tensor[]) => tf.Tensor, args: tf.Tensor[]) => () => {
    const gs = tf.grads((...a: tf.Tensor[]) => tf.sum(f(...a)))(args);
    const s = tf.tidy(() => tf.addN(gs.map((g) => tf.sum(g))));
    tf.dispose(gs);
    return s;
  };
  if (!withBackward) {
    tf.dispose([x, w, offset]);
    return { deform, conv, deformGrad: NaN, convGrad: NaN };
  }
  const deformGrad = await run(grads((a, b, c) => deformConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, { padding: 1 }), [x, offset, w]));
  const convGrad = await run(grads((a, c) => tf.conv2d(a as tf.Tensor4D, c as tf.Tensor4D, 1, 'same'), [x, w]));
  tf.dispose([x, w, offset]);
  return { deform, conv, deformGrad, convGrad };
}

