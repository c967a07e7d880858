import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/**
 * MAE's loss (`forward_loss` in facebookresearch/mae): the mean squared error
 * per patch, averaged over the MASKED patches only,
 *
 *   loss = Σ_l mask_l · mean_j (pred_lj − target_lj)²  /  Σ_l mask_l.
 *
 * Visible patches contribute nothing: the encoder saw them, so copying them is
 * no task. With `normPixLoss` each target patch is first normalised by its own
 * mean and variance (torch's unbiased `var`, + 1e-6), the paper's better
 * representation for fine-tuning.
 */
export function maeLoss(pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor, opts: { normPixLoss?: boolean } = {}): tf.Scalar {
  if (pred.rank !== 3 || target.rank !== 3 || pred.shape.some((d, i) => d !== target.shape[i])) {
    fail('maeLoss', 'pred', `the target's shape [${target.shape}] ([B, L, p·p·C])`, `shape [${pred.shape}]`);
  }
  if (mask.rank !== 2 || mask.shape[0] !== pred.shape[0] || mask.shape[1] !== pred.shape[1]) {
    fail('maeLoss', 'mask', `a [${pred.shape[0]}, ${pred.shape[1]}] tensor (1 = masked)`, `shape [${mask.shape}]`);
  }
  return tf.tidy(() => {
    const t = opts.normPixLoss ? normalisePatches(target) : target;
    const perPatch = tf.mean(tf.squaredDifference(pred, t), -1);
    return tf.div(tf.sum(tf.mul(perPatch, mask)), tf.sum(mask)) as tf.Scalar;
  });
}

/** Each patch's (last axis) mean and standard deviation as MAE normalises by: torch's unbiased `var`, + 1e-6. */
export function patchStats(target: tf.Tensor): { mean: tf.Tensor; std: tf.Tensor } {
  return tf.tidy(() => {
    const n = target.shape[target.rank - 1] as number;
    const mean = tf.mean(target, -1, true);
    const varUnbiased = tf.div(tf.sum(tf.square(tf.sub(target, mean)), -1, true), Math.max(1, n - 1));
    return { mean, std: tf.sqrt(tf.add(varUnbiased, 1e-6)) };
  });
}

/** Each patch (last axis) to zero mean and unit variance, MAE's `norm_pix_loss` target. */
export function normalisePatches(target: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { mean, std } = patchStats(target);
    return tf.div(tf.sub(target, mean), std);
  });
}
