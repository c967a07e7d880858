import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { asWasm, type KernelArgs } from './wasm-heap';

/**
 * ClipByValue for 'wasm' on int32 (and bool) input. The built-in (tfjs 4.22)
 * reads the ints as floats and returns garbage; here they are clipped from JS.
 * float32 goes to the built-in.
 *
 * @example
 * tf.clipByValue(tf.tensor1d([-5, 3, 10], 'int32'), 0, 5); // [0, 3, 5]
 */
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

export const clipByValueConfig: tf.KernelConfig = {
  kernelName: 'ClipByValue', backendName: 'wasm', kernelFunc: clipByValue as unknown as tf.KernelFunc,
};
