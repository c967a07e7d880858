import * as tf from '@tensorflow/tfjs';
import { BaseCam, type CamContext } from './base-cam';

/**
 * Grad-CAM++ (Chattopadhay et al. 2018, eq. 19 with an exponential score, as
 * pytorch-grad-cam computes it): pixel weights
 * a_ij = g² / (2g² + Σ_ab A_ab · g³) (0 where g = 0), channel weight
 * w_c = Σ_ij a_ij ReLU(g_ij), so a few strongly positive locations count as
 * much as a broad weak region.
 */
export class GradCamPlusPlus extends BaseCam {
  readonly reference = 'Chattopadhay et al., Grad-CAM++, WACV 2018 (pytorch-grad-cam GradCAMPlusPlus)';
  protected camWeights({ activations, grads }: CamContext): tf.Tensor1D {
    const g2 = tf.square(grads);
    const g3 = tf.mul(g2, grads);
    const sumA = tf.sum(activations, [1, 2], true);
    const denom = tf.add(tf.add(tf.mul(g2, 2), tf.mul(sumA, g3)), 1e-7);
    const aij = tf.where(tf.notEqual(grads, 0), tf.div(g2, denom), tf.zerosLike(g2));
    return tf.reshape(tf.sum(tf.mul(aij, tf.relu(grads)), [0, 1, 2]), [-1]) as tf.Tensor1D;
  }
}
