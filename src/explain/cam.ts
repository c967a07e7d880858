import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { BaseCam, type CamContext } from './base-cam';

/**
 * CAM (Zhou et al. 2016, eq. 2): for a network whose target layer feeds a
 * global average pool and then one Dense layer, class c's map is
 * Σ_k w_kc A_k with w the Dense kernel's column c. Grad-CAM generalises it:
 * there ∂y_c/∂A_kij = w_kc / (hw), so Grad-CAM's weights are CAM's divided by hw.
 */
export class Cam extends BaseCam {
  readonly reference = 'Zhou et al., Learning Deep Features for Discriminative Localization, CVPR 2016 (pytorch-grad-cam has no CAM; this is eq. 2)';
  protected override readonly usesGradients = false;

  protected camWeights({ model, layer, score }: CamContext): tf.Tensor1D {
    const dense = gapDenseAfter(model, layer);
    const kernel = dense.getWeights()[0] as tf.Tensor2D;
    // The class is read from the score function by probing it with a one-hot output.
    const k = kernel.shape[1];
    const probe = tf.stack(Array.from({ length: k }, (_, i) => score(tf.oneHot([i], k)))) as tf.Tensor1D;
    return tf.reshape(tf.matMul(kernel, tf.reshape(probe, [k, 1])), [-1]) as tf.Tensor1D;
  }
}

/** The Dense layer of a GAP → Dense head right after `layer`, or an error saying CAM needs one. */
export function gapDenseAfter(model: tf.LayersModel, layer: string): tf.layers.Layer {
  const consumers = (name: string) => model.layers.filter((l) => l.inboundNodes.some((n) => n.inboundLayers.some((p) => p.name === name)));
  const gap = consumers(layer).find((l) => l.getClassName() === 'GlobalAveragePooling2D');
  const dense = gap ? consumers(gap.name).find((l) => l.getClassName() === 'Dense') : undefined;
  if (!gap || !dense) {
    const ok = model.layers.filter((l) => l.getClassName() === 'GlobalAveragePooling2D').flatMap((g) => g.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => p.name)));
    fail('Cam', 'layer', ok.length ? `the layer that feeds the global-average-pooling head (${ok.join(', ')}); for other layers use Grad-CAM` : 'a model with a GlobalAveragePooling2D → Dense head (this one has none; use Grad-CAM)', layer);
  }
  return dense;
}
