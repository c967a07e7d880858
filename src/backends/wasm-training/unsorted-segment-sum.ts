import * as tf from '@tensorflow/tfjs';
import { asWasm, type KernelArgs } from './wasm-heap';

/**
 * UnsortedSegmentSum for 'wasm' (tfjs 4.22 has none). It is the gradient of
 * `tf.gather` (GatherV2's gradient scatters dy back to the gathered rows), so
 * without it any loss that gathers selected anchors, classes or embeddings
 * cannot train on wasm. out[segmentIds[i], ...] += x[i, ...]; ids outside
 * [0, numSegments) are dropped, as in TensorFlow and tfjs-backend-cpu.
 *
 * @example
 * tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 1, 0], 'int32'), 2); // [4, 2]
 */
export function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs as { numSegments: number };
  const inner = tf.util.sizeFromShape(x.shape) / Math.max(1, tf.util.sizeFromShape(segmentIds.shape));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  const xv = backend.typedArrayFromHeap(x);
  const iv = backend.typedArrayFromHeap(segmentIds);
  const ov = backend.typedArrayFromHeap(out);
  ov.fill(0);
  for (let i = 0; i < iv.length; i++) {
    const s = iv[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) ov[to + j] += xv[from + j];
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
