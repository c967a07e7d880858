import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { asWasm, type KernelArgs } from './wasm-heap';

/**
 * Slice for 'wasm' without the copy. The built-in kernel (tfjs 4.22) calls
 * `readSync` on its input, which copies the *whole* input out of wasm memory
 * on every call: in a training loop that slices batches from a dataset tensor
 * this is megabytes of garbage per step and 50-75 ms garbage-collection
 * stalls. Here the input is read through a view of the heap and only the
 * selected rows are copied, innermost contiguous run at a time.
 *
 * @example
 * tf.slice(images, [8, 0, 0, 0], [8, -1, -1, -1]); // one batch, no full copy
 */
export function slice(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x } = args.inputs;
  if (x.dtype === 'string') return originalKernel('Slice', backend)!(args as never) as tf.TensorInfo;
  const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  const out = backend.makeOutput(s, x.dtype);
  if (tf.util.sizeFromShape(s) === 0) return out;
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, b, s)) {
    const from = tf.slice_util.computeFlatOffset(b, strides);
    ov.set(xv.subarray(from, from + ov.length));
    return out;
  }
  // Copy runs along the last axis, walking the outer indices like an odometer.
  const rank = s.length;
  const run = s[rank - 1];
  const idx = new Array<number>(rank - 1).fill(0);
  let o = 0;
  while (o < ov.length) {
    let from = b[rank - 1];
    for (let d = 0; d < rank - 1; d++) from += (b[d] + idx[d]) * strides[d];
    ov.set(xv.subarray(from, from + run), o);
    o += run;
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < s[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

export const sliceConfig: tf.KernelConfig = {
  kernelName: 'Slice',
  backendName: 'wasm',
  kernelFunc: slice as unknown as tf.KernelFunc,
};
