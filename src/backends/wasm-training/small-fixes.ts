import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { alloc, asWasm, f32, type KernelArgs } from './wasm-heap';

/**
 * Three built-in wasm kernels (tfjs 4.22) that return wrong numbers for some
 * inputs, each replaced for those inputs only and delegated to the built-in
 * otherwise:
 *
 * - OneHot with a non-int32 dtype writes integer bit patterns into the float
 *   buffer (1 reads as 1.4e-45): filled here from JS for float32 output.
 * - ClipByValue on int32 reads the ints as floats: clipped here from JS.
 * - MaxPool with dimRoundingMode 'ceil'/'round' allocates the rounded-up
 *   output but XNNPack fills only the floor-sized part, leaving rows of
 *   uninitialised memory: pooled here from JS, windows clipped to the input
 *   as in tfjs-backend-cpu.
 */
export function oneHot(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { indices } = args.inputs;
  const { dtype, depth, onValue, offValue } = args.attrs as { dtype: tf.DataType; depth: number; onValue: number; offValue: number };
  if (dtype === 'int32') return originalKernel('OneHot', backend)!(args as never) as tf.TensorInfo;
  const out = backend.makeOutput([...indices.shape, depth], dtype);
  const iv = backend.typedArrayFromHeap(indices);
  const ov = backend.typedArrayFromHeap(out);
  ov.fill(offValue);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i];
    if (k >= 0 && k < depth) ov[i * depth + k] = onValue;
  }
  return out;
}

export function clipByValue(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x } = args.inputs;
  if (x.dtype === 'float32') return originalKernel('ClipByValue', backend)!(args as never) as tf.TensorInfo;
  const { clipValueMin: lo, clipValueMax: hi } = args.attrs as { clipValueMin: number; clipValueMax: number };
  const out = backend.makeOutput(x.shape, x.dtype);
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  for (let i = 0; i < xv.length; i++) ov[i] = xv[i] < lo ? lo : xv[i] > hi ? hi : xv[i];
  return out;
}

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

export const oneHotConfig: tf.KernelConfig = { kernelName: 'OneHot', backendName: 'wasm', kernelFunc: oneHot as unknown as tf.KernelFunc };
export const clipByValueConfig: tf.KernelConfig = {
  kernelName: 'ClipByValue', backendName: 'wasm', kernelFunc: clipByValue as unknown as tf.KernelFunc,
};
export const maxPoolConfig: tf.KernelConfig = { kernelName: 'MaxPool', backendName: 'wasm', kernelFunc: maxPool as unknown as tf.KernelFunc };
