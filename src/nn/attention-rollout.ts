import * as tf from '@tensorflow/tfjs';
import { fail } from './check-options';

/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in
 * Transformers", eq. 1): average each layer's weights over heads, add the
 * identity for the residual path and renormalise rows (0.5 A + 0.5 I), then
 * multiply the layers from the first up: row i of the product says how much
 * each input token flowed into token i at the top. `weights` are the
 * per-layer [N, heads, T, T] attention weights (e.g. from
 * `vitAttentionModel`), first layer first; returns [N, T, T] (the caller
 * disposes it). Row 0 of a ViT is the class token's map over the patches.
 */
export function attentionRollout(weights: tf.Tensor[], opts: { residual?: boolean } = {}): tf.Tensor3D {
  if (!Array.isArray(weights) || weights.length === 0) fail('attentionRollout', 'weights', 'a non-empty list of [N, heads, T, T] attention weights', weights);
  const shape = weights[0].shape;
  weights.forEach((w, i) => {
    if (w.rank !== 4 || w.shape[2] !== w.shape[3] || w.shape.some((d, j) => d !== shape[j])) {
      fail('attentionRollout', `weights[${i}]`, `shape [N, heads, T, T] like weights[0] ([${shape}])`, `[${w.shape}]`);
    }
  });
  const residual = opts.residual ?? true;
  return tf.tidy(() => {
    const t = shape[2] as number;
    const eye = tf.eye(t);
    let rollout: tf.Tensor | null = null;
    for (const w of weights) {
      let a: tf.Tensor = tf.mean(w, 1);
      if (residual) a = tf.mul(tf.add(a, eye), 0.5);
      a = tf.div(a, tf.sum(a, -1, true));
      rollout = rollout === null ? a : tf.matMul(a, rollout);
    }
    return rollout as tf.Tensor3D;
  });
}
