import * as tf from '@tensorflow/tfjs';
import type { RoiCall } from './roi-args';
import { paddedTaps, type RoiPlan, type RoiTaps } from './roi-plan';
import { ROI_KERNEL_BACKENDS, runRoiKernel } from './roi-kernels';
import { simdAvailable } from './roi-simd';

/** Elements (bins * taps * channels) one gather may produce; bounds the intermediate at ~32 MB. */
const CHUNK_ELEMENTS = 1 << 23;
const FLT_MAX = 3.4028234663852886e38;

/**
 * Runs the plan, by one of three kernels with the same result:
 * - on `cpu` and `wasm`, the direct kernels (roi-kernels.ts): one WebAssembly
 *   SIMD pass over bins x taps x channels forward, a scatter-add backward,
 *   registered as tfjs kernels with their gradients;
 * - where WebAssembly SIMD is missing (and on tfjs-node), JS loops over the
 *   same plan under tf.customGrad, ~4x slower;
 * - elsewhere (WebGL, WebGPU) tfjs ops: per chunk one `tf.gather` of the tapped
 *   feature rows and one reduction, a batched matMul with the weights
 *   (RoIAlign) or a max over the taps of weight 1 (RoIPool; a bin with none
 *   is 0), so tfjs's own gradients apply. RoIs are grouped by tap count so
 *   padding stays small.
 */
export function gatherReduce(call: RoiCall, plan: RoiPlan, reduce: 'weightedSum' | 'max'): tf.Tensor4D {
  const backend = tf.getBackend();
  let k = kernel;
  if (k === 'auto') {
    if ((ROI_KERNEL_BACKENDS as readonly string[]).includes(backend) && simdAvailable()) k = 'simd';
    else k = CPU_MEMORY_BACKENDS.includes(backend) ? 'js' : 'tensor';
  }
  if (k === 'simd') {
    if (!(ROI_KERNEL_BACKENDS as readonly string[]).includes(backend)) throw new Error(`roi kernel 'simd' runs on ${ROI_KERNEL_BACKENDS.join(' and ')}, not '${backend}'`);
    const { features, K, pooledH, pooledW, C } = call;
    return runRoiKernel(reduce, features, { plan, outShape: [K, pooledH, pooledW, C], inShape: features.shape.slice() });
  }
  return k === 'js' ? loopReduce(call, plan, reduce) : tensorReduce(call, paddedTaps(plan, call.K, call.pooledH * call.pooledW), reduce);
}

type RoiKernel = 'auto' | 'simd' | 'js' | 'tensor';
let kernel: RoiKernel = 'auto';
/** Backends whose tensors live in CPU memory, where JS loops beat tfjs's per-element gather. */
const CPU_MEMORY_BACKENDS = ['cpu', 'wasm', 'tensorflow'];

/**
 * Forces one implementation ('auto': the SIMD kernel on cpu/wasm, JS loops
 * where SIMD is missing, tensor ops elsewhere); for tests and benches.
 */
export function setRoiKernel(k: RoiKernel): void {
  kernel = k;
}

/**
 * The same reduction as JS loops over the downloaded features, wrapped in
 * tf.customGrad with a loop backward pass (a scatter of dy into the tapped
 * pixels; for max, into the first maximum, as torchvision's argmax).
 */
function loopReduce(call: RoiCall, plan: RoiPlan, reduce: 'weightedSum' | 'max'): tf.Tensor4D {
  const { features, C, K, pooledH, pooledW } = call;
  const { nBins, starts, idx, w } = plan;
  const outShape: [number, number, number, number] = [K, pooledH, pooledW, C];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const src = x.dataSync() as Float32Array;
    const out = new Float32Array(nBins * C);
    const argmax = reduce === 'max' ? new Int32Array(nBins * C).fill(-1) : null;
    for (let bin = 0; bin < nBins; bin++) {
      const o = bin * C;
      if (argmax) {
        if (starts[bin] === starts[bin + 1]) continue; // an empty bin is 0
        for (let c = 0; c < C; c++) out[o + c] = -FLT_MAX;
        for (let t = starts[bin]; t < starts[bin + 1]; t++) {
          const s = idx[t] * C;
          for (let c = 0; c < C; c++) {
            if (src[s + c] > out[o + c]) {
              out[o + c] = src[s + c];
              argmax[o + c] = s + c;
            }
          }
        }
      } else {
        for (let t = starts[bin]; t < starts[bin + 1]; t++) {
          const wt = w[t];
          const s = idx[t] * C;
          for (let c = 0; c < C; c++) out[o + c] += wt * src[s + c];
        }
      }
    }
    const gradFunc = (dy: tf.Tensor4D) => {
      const g = dy.dataSync();
      const dx = new Float32Array(x.size);
      if (argmax) {
        for (let i = 0; i < g.length; i++) if (argmax[i] >= 0) dx[argmax[i]] += g[i];
      } else {
        for (let bin = 0; bin < nBins; bin++) {
          const o = bin * C;
          for (let t = starts[bin]; t < starts[bin + 1]; t++) {
            const wt = w[t];
            const d = idx[t] * C;
            for (let c = 0; c < C; c++) dx[d + c] += wt * g[o + c];
          }
        }
      }
      return tf.tensor(dx, x.shape, 'float32');
    };
    return { value: tf.tensor4d(out, outShape), gradFunc };
  });
  return op(features) as tf.Tensor4D;
}

/**
 * max over axis 1 (the taps of a bin) whose gradient goes to the first
 * maximum only, as torchvision's roi_pool argmax; tf.max's own gradient
 * would split it over every tie, and ties are common (zeros after a ReLU).
 */
const firstMaxOverTaps = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const value = tf.max(x, 1);
  save([x, value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [taps, max] = saved;
      const ties = tf.cast(tf.equal(taps, tf.expandDims(max, 1)), 'float32');
      const first = tf.mul(ties, tf.cast(tf.equal(tf.cumsum(ties, 1), 1), 'float32'));
      return tf.mul(tf.expandDims(dy, 1), first);
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** The reduction as tfjs ops (gather + matMul or max), for GPU backends. */
function tensorReduce(call: RoiCall, plans: RoiTaps[], reduce: 'weightedSum' | 'max'): tf.Tensor4D {
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
        const m = firstMaxOverTaps(tf.add(rows, tf.tensor3d(bias, [n * nBins, Tc, 1])));
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
