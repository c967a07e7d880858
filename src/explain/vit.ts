import * as tf from '@tensorflow/tfjs';
import { vitAttentionModel } from '../models/backbones/vit';
import { attentionRollout } from '../nn/attention-rollout';
import { checkInput } from './target';

/**
 * Attention rollout on a ViT (Abnar & Zuidema 2020, via `nn.attentionRollout`):
 * the class token's row of the rolled-out attention, over the patches,
 * reshaped to the patch grid `[g, g]`. Class-agnostic, unlike Grad-CAM on
 * the same tokens (`GradCam` with a ViT layer, reshaped by `toSpatial`).
 */
export async function vitRollout(vit: tf.LayersModel, input: tf.Tensor4D): Promise<tf.Tensor2D> {
  checkInput('vitRollout', vit, input);
  const attn = vitAttentionModel(vit);
  // The wrapper shares the ViT's weights and owns none: it is let go, not disposed.
  return tf.tidy(() => {
      const outs = attn.predict(input) as tf.Tensor[];
      const weights = outs.slice(1);
      const r = attentionRollout(weights);
      const t = r.shape[1];
      const g = Math.round(Math.sqrt(t - 1));
      return tf.reshape(tf.slice(r, [0, 0, 1], [1, 1, t - 1]), [g, g]) as tf.Tensor2D;
  });
}

