import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { asWasm, type KernelArgs } from './wasm-heap';

/**
 * Tile for 'wasm' by block copies. tfjs 4.22's built-in walks the output
 * element by element through a C++ index computation; the FusedBatchNorm
 * gradient tiles the per-channel 1/sqrt(variance) to the whole activation
 * ([1,1,1,C] by [N,H,W,1]) on every BatchNorm layer, and in resnet_tiny's
 * step those Tiles took more time than all convolutions together.
 *
 * Axes are expanded innermost first: repeating axis `a` copies each block of
 * the already-expanded inner axes `reps[a]` times, one `set` per block.
 *
 * @example
 * tf.tile(tf.tensor4d([1, 2], [1, 1, 1, 2]), [2, 3, 3, 1]); // shape [2, 3, 3, 2]
 */
export function tile(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x } = args.inputs;
  if (x.dtype === 'string') return originalKernel('Tile', backend)!(args as never) as tf.TensorInfo;
  const { reps } = args.attrs as { reps: number[] };
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  let cur: Float32Array | Int32Array | Uint8Array = backend.typedArrayFromHeap(x).slice();
  const shape = x.shape.slice();
  for (let a = shape.length - 1; a >= 0; a--) {
    const r = reps[a];
    if (r === 1) continue;
    const inner = tf.util.sizeFromShape(shape.slice(a));
    const outer = cur.length / inner;
    const next = new (cur.constructor as new (n: number) => typeof cur)(cur.length * r);
    for (let o = 0; o < outer; o++) {
      const block = cur.subarray(o * inner, (o + 1) * inner);
      for (let k = 0; k < r; k++) next.set(block, (o * r + k) * inner);
    }
    cur = next;
    shape[a] *= r;
  }
  // Views die when the heap grows: take the output's after the copies above.
  backend.typedArrayFromHeap(out).set(cur);
  return out;
}

export const tileConfig: tf.KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: tile as unknown as tf.KernelFunc,
};
