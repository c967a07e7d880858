import * as tf from '@tensorflow/tfjs';
import { BaseCam, type CamContext } from './base-cam';

/**
 * Grad-CAM (Selvaraju et al. 2017, eq. 1-2): a channel's weight is its
 * gradient averaged over the map, α_c = (1/hw) Σ_ij ∂y/∂A_cij.
 */
export class GradCam extends BaseCam {
  readonly reference = 'Selvaraju et al., Grad-CAM, ICCV 2017 (pytorch-grad-cam GradCAM)';
  protected camWeights({ grads }: CamContext): tf.Tensor1D {
    return tf.reshape(tf.mean(grads, [0, 1, 2]), [-1]) as tf.Tensor1D;
  }
}
