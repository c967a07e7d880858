import * as tf from '@tensorflow/tfjs';
import { fail } from './check-options';

export interface AttentionOptions {
  /** Dropout on the attention weights while training (applied to what multiplies V; the returned weights are the probabilities before it). */
  dropout?: number;
  training?: boolean;
  /** Scale of the scores (default 1 / sqrt(d), d the query/key size). */
  scale?: number;
}

const NEG = -1e9;

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1):
 * softmax(Q K^T / sqrt(d)) V, on eager tensors of shape [..., Tq, d],
 * [..., Tk, d], [..., Tk, dv]. `mask` (broadcast to [..., Tq, Tk]; true or 1
 * = may attend, false or 0 = blocked) adds -1e9 to blocked scores, so their
 * weights are 0 to float precision; a row blocked everywhere attends
 * uniformly instead of giving NaN. Every op here has a gradient on every
 * backend (wasm included). Returns the output [..., Tq, dv] and the weights
 * [..., Tq, Tk]; both are new tensors the caller disposes.
 *
 * @example
 * const q = tf.tensor([[[1, 0], [0, 1]]]);
 * const {output, weights} = nn.scaledDotProductAttention(q, q, tf.tensor([[[1, 2], [3, 4]]]));
 * weights.print(); // each row sums to 1; a token weighs itself most
 */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  mask?: tf.Tensor | null,
  opts: AttentionOptions = {},
): { output: tf.Tensor; weights: tf.Tensor } {
  const op = 'scaledDotProductAttention';
  for (const [arg, t] of [['q', q], ['k', k], ['v', v]] as const) {
    if (!(t instanceof tf.Tensor) || t.rank < 2) fail(op, arg, 'a tensor of rank >= 2 ([..., tokens, dim])', t instanceof tf.Tensor ? `shape [${t.shape}]` : typeof t);
  }
  const d = q.shape[q.rank - 1];
  if (k.shape[k.rank - 1] !== d) fail(op, 'k', `a last dimension equal to q's (${d})`, `shape [${k.shape}]`);
  if (v.shape[v.rank - 2] !== k.shape[k.rank - 2]) fail(op, 'v', `as many tokens as k (${k.shape[k.rank - 2]}) in its second-to-last dimension`, `shape [${v.shape}]`);
  const rate = opts.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) fail(op, 'opts.dropout', 'a probability in [0, 1)', rate);
  const scale = opts.scale ?? 1 / Math.sqrt(d);
  return tf.tidy(() => {
    let scores = tf.mul(tf.matMul(q, k, false, true), scale);
    if (mask != null) {
      const tq = q.shape[q.rank - 2];
      const tk = k.shape[k.rank - 2];
      const ok = mask.rank >= 2 && mask.shape[mask.rank - 1] === tk && (mask.shape[mask.rank - 2] === tq || mask.shape[mask.rank - 2] === 1);
      if (!ok) fail(op, 'mask', `broadcastable to [..., ${tq}, ${tk}] (1 or true = may attend)`, `shape [${mask.shape}]`);
      // (1 - mask) * -1e9: a blocked score drops out of the softmax; the mask gets no gradient of its own use.
      scores = tf.add(scores, tf.mul(tf.sub(1, tf.cast(mask, 'float32')), NEG));
    }
    const weights = tf.softmax(scores);
    const used = opts.training && rate > 0 ? tf.dropout(weights, rate) : weights;
    return { output: tf.matMul(used, v), weights };
  });
}
