import * as tf from '@tensorflow/tfjs';
import { BaseCam, type CamContext } from './base-cam';

/**
 * Eigen-CAM (Muhammad & Yeasin 2020): no gradients and no class; the map is
 * the activations (centred over locations) projected on their first principal
 * component. tfjs has no SVD, so the component comes from power iteration on
 * the C × C covariance; its sign is chosen so the map agrees with the total
 * activation Σ_c A_c (a principal component has no sign of its own).
 */
export class EigenCam extends BaseCam {
  readonly reference = 'Muhammad & Yeasin, Eigen-CAM, IJCNN 2020 (pytorch-grad-cam EigenCAM)';
  protected override readonly usesGradients = false;

  protected camWeights(ctx: CamContext): tf.Tensor1D {
    const [, h, w, c] = ctx.activations.shape;
    const x = tf.reshape(ctx.activations, [h * w, c]);
    const centred = tf.sub(x, tf.mean(x, 0, true));
    const cov = tf.matMul(centred, centred, true, false);
    let v: tf.Tensor = tf.div(tf.ones([c, 1]), Math.sqrt(c));
    for (let i = 0; i < 60; i++) v = tf.div(tf.matMul(cov, v), tf.add(tf.norm(tf.matMul(cov, v)), 1e-12));
    return tf.reshape(v, [c]) as tf.Tensor1D;
  }

  protected override camImage(ctx: CamContext): tf.Tensor2D {
    const [, h, w, c] = ctx.activations.shape;
    const x = tf.reshape(ctx.activations, [h * w, c]);
    const centred = tf.sub(x, tf.mean(x, 0, true));
    const proj = tf.reshape(tf.matMul(centred, tf.reshape(this.camWeights(ctx), [c, 1])), [h, w]);
    const total = tf.reshape(tf.sum(x, 1), [h, w]);
    const sign = tf.sign(tf.add(tf.sum(tf.mul(proj, tf.sub(total, tf.mean(total)))), 1e-12));
    return tf.relu(tf.mul(proj, sign)) as tf.Tensor2D;
  }
}
