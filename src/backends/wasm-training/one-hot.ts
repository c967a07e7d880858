import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { asWasm, type KernelArgs } from './wasm-heap';

/**
 * OneHot for 'wasm' with a non-int32 dtype. The built-in (tfjs 4.22) writes
 * integer bit patterns into the float buffer (1 reads as 1.4e-45); here the
 * float32 output is filled from JS. int32 output goes to the built-in.
 * Indices outside [0, depth) give a row of offValue, as on the CPU backend.
 *
 * @example
 * tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3, 1, 0, 'float32'); // [[1,0,0],[0,0,1]]
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

export const oneHotConfig: tf.KernelConfig = { kernelName: 'OneHot', backendName: 'wasm', kernelFunc: oneHot as unknown as tf.KernelFunc };
