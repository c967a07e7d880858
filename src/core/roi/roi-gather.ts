import * as tf from '@tensorflow/tfjs';
import type { RoiCall } from './roi-args';

/**
 * One RoI's sampling plan: for each of its pooledH * pooledW bins, `T` taps,
 * each a flat row index into the features seen as [B*H*W, C] and a weight.
 * Unused taps have weight 0.
 */
export interface RoiTaps {
  T: number;
  idx: Int32Array;
  w: Float32Array;
}

/** Elements (bins * taps * channels) one gather may produce; bounds the intermediate at ~32 MB. */
const CHUNK_ELEMENTS = 1 << 23;
const FLT_MAX = 3.4028234663852886e38;

/**
 * Runs the plans: one `tf.gather` of the tapped feature rows and one
 * reduction per chunk, either a weighted sum (a batched matMul, for RoIAlign)
 * or a max over the taps with weight 1 (for RoIPool; a bin with none is 0).
 * Everything is a tfjs op with a gradient, so `tf.grad` reaches the features
 * on every backend. RoIs are grouped by tap count so padding stays small.
 */
export function gatherReduce(call: RoiCall, plans: RoiTaps[], reduce: 'weightedSum' | 'max'): tf.Tensor4D {
  const { features, B, H, W, C, K, pooledH, pooledW } = call;
  const nBins = pooledH * pooledW;
  return tf.tidy(() => {
    const flat = tf.reshape(features, [B * H * W, C]);
    if (K === 0) {
      // Still a function of the features, so gradients (all zero) exist.
      return tf.reshape(tf.gather(flat, tf.tensor1d([], 'int32')), [0, pooledH, pooledW, C]) as tf.Tensor4D;
    }
    const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => plans[a].T - plans[b].T || a - b);
    const outs: tf.Tensor[] = [];
    let i = 0;
    while (i < K) {
      let j = i + 1;
      let Tc = Math.max(1, plans[order[i]].T);
      while (j < K) {
        const t = Math.max(Tc, plans[order[j]].T);
        if ((j - i + 1) * nBins * t * C > CHUNK_ELEMENTS) break;
        Tc = t;
        j++;
      }
      const n = j - i;
      const idx = new Int32Array(n * nBins * Tc);
      const w = new Float32Array(n * nBins * Tc);
      for (let c = 0; c < n; c++) {
        const p = plans[order[i + c]];
        for (let bin = 0; bin < nBins; bin++) {
          const dst = (c * nBins + bin) * Tc;
          idx.set(p.idx.subarray(bin * p.T, (bin + 1) * p.T), dst);
          w.set(p.w.subarray(bin * p.T, (bin + 1) * p.T), dst);
        }
      }
      const rows = tf.reshape(tf.gather(flat, tf.tensor1d(idx, 'int32')), [n * nBins, Tc, C]);
      let out: tf.Tensor;
      if (reduce === 'weightedSum') {
        out = tf.matMul(tf.tensor3d(w, [n * nBins, 1, Tc]), rows);
      } else {
        const bias = new Float32Array(w.length);
        const nonEmpty = new Float32Array(n * nBins);
        for (let t = 0; t < w.length; t++) {
          if (w[t] === 0) bias[t] = -FLT_MAX;
          else nonEmpty[Math.floor(t / Tc)] = 1;
        }
        const m = tf.max(tf.add(rows, tf.tensor3d(bias, [n * nBins, Tc, 1])), 1);
        // An empty bin's max is -FLT_MAX; times 0 it is -0, and + 0 makes it 0.
        out = tf.add(tf.mul(m, tf.tensor2d(nonEmpty, [n * nBins, 1])), 0);
      }
      outs.push(tf.reshape(out, [n, pooledH, pooledW, C]));
      i = j;
    }
    const sorted = outs.length === 1 ? outs[0] : tf.concat(outs, 0);
    if (order.every((k, pos) => k === pos)) return sorted as tf.Tensor4D;
    const inverse = new Int32Array(K);
    order.forEach((k, pos) => (inverse[k] = pos));
    return tf.gather(sorted, tf.tensor1d(inverse, 'int32')) as tf.Tensor4D;
  });
}
