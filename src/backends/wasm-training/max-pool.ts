import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { alloc, asWasm, f32, type KernelArgs } from './wasm-heap';

/**
 * MaxPool for 'wasm' with dimRoundingMode 'ceil' or 'round'. The built-in
 * (tfjs 4.22) allocates the rounded-up output but XNNPack fills only the
 * floor-sized part, leaving rows of uninitialised memory; here those shapes
 * are pooled from JS with windows clipped to the input, as tfjs-backend-cpu
 * does. 'floor' (the default) goes to the built-in XNNPack kernel.
 *
 * @example
 * tf.maxPool(x, 3, 2, 0, 'ceil'); // [1,6,6,C] -> [1,3,3,C]
 */
export function maxPool(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x } = args.inputs;
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as {
    filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  if (dimRoundingMode == null || dimRoundingMode === 'floor' || x.dtype !== 'float32') {
    return originalKernel('MaxPool', backend)!(args as never) as tf.TensorInfo;
  }
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { effectiveFilterHeight: FH, effectiveFilterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const out = alloc(backend, info.outShape);
  const xv = f32(backend, x);
  const ov = f32(backend, out);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = Math.max(0, oh * sh - info.padInfo.top);
      const r1 = Math.min(H, oh * sh - info.padInfo.top + FH);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = Math.max(0, ow * sw - info.padInfo.left);
        const c1 = Math.min(W, ow * sw - info.padInfo.left + FW);
        const o = ((n * OH + oh) * OW + ow) * C;
        ov.fill(-Infinity, o, o + C);
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            const b = ((n * H + r) * W + c) * C;
            for (let ch = 0; ch < C; ch++) if (xv[b + ch] > ov[o + ch]) ov[o + ch] = xv[b + ch];
          }
        }
      }
    }
  }
  return out;
}

export const maxPoolConfig: tf.KernelConfig = { kernelName: 'MaxPool', backendName: 'wasm', kernelFunc: maxPool as unknown as tf.KernelFunc };
