import * as tf from '@tensorflow/tfjs';

/**
 * Translates a batch of images by (dx, dy) whole pixels, filling the
 * uncovered border with 0 (not wrapping around): dx > 0 moves content right,
 * dy > 0 moves it down. Used to show that an MLP breaks under small shifts.
 *
 * @example
 * const moved = shiftImages(xs, 3, -2); // [B,H,W,C], content 3 px right and 2 px up
 */
export function shiftImages(xs: tf.Tensor4D, dx: number, dy: number): tf.Tensor4D {
  const [, h, w] = xs.shape;
  if (!Number.isInteger(dx) || !Number.isInteger(dy) || Math.abs(dx) >= w || Math.abs(dy) >= h) {
    throw new Error(`shiftImages: 'dx' and 'dy' must be whole numbers smaller than the image, got ${dx}, ${dy}.`);
  }
  return tf.tidy(() => {
    const padded = tf.pad(xs, [[0, 0], [Math.max(dy, 0), Math.max(-dy, 0)], [Math.max(dx, 0), Math.max(-dx, 0)], [0, 0]]);
    return tf.slice(padded, [0, Math.max(-dy, 0), Math.max(-dx, 0), 0], [-1, h, w, -1]) as tf.Tensor4D;
  });
}
