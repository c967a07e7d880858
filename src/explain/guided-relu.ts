import * as tf from '@tensorflow/tfjs';

/**
 * The rectified backward pass of guided backpropagation (Springenberg et al.
 * 2015, "Striving for Simplicity", fig. 1): forward it is ReLU; backward it
 * passes the incoming gradient only where the input was positive (ReLU's own
 * rule) AND the gradient itself is positive (the "deconvnet" rule), so
 * negative evidence never flows back to the image.
 */
export const guidedRelu: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([x]);
  return {
    value: tf.relu(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(tf.mul(dy, tf.step(saved[0])), tf.step(dy)),
  };
}) as unknown as (x: tf.Tensor) => tf.Tensor;
