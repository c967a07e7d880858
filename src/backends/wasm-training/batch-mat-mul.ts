import * as tf from '@tensorflow/tfjs';
import { originalKernel } from './register';
import { asWasm, type KernelArgs } from './wasm-heap';

/**
 * BatchMatMul for 'wasm' with a transposed operand: the built-in's
 * transposeA/transposeB path is 30-40x slower than its plain product
 * (measured on a 2-core host: a [544,64]^T x [544,128] product, a dense
 * layer's weight gradient, 4.5 ms against 0.3 ms for an explicit transpose
 * then the plain product). Every dense layer's and attention's backward pass
 * takes that path (dW = x^T dy, dx = dy W^T), so a small ViT spent most of its
 * step there. Here the flagged operand's last two axes are transposed with the
 * built-in Transpose kernel first, then the plain product runs; the numbers
 * are the same products in the same order per output element.
 */
export function batchMatMul(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const plain = originalKernel('BatchMatMul', backend)!;
  if (!attrs.transposeA && !attrs.transposeB) return plain(args as never) as tf.TensorInfo;
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc;
  const swapLast2 = (t: tf.TensorInfo): tf.TensorInfo => {
    const r = t.shape.length;
    const perm = [...Array(r - 2).keys(), r - 1, r - 2];
    return transpose({ inputs: { x: t }, backend: backend as never, attrs: { perm } }) as tf.TensorInfo;
  };
  const ta = attrs.transposeA ? swapLast2(a) : a;
  const tb = attrs.transposeB ? swapLast2(b) : b;
  const out = plain({ inputs: { a: ta, b: tb }, backend: backend as never, attrs: { ...attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
  if (ta !== a) backend.disposeData(ta.dataId);
  if (tb !== b) backend.disposeData(tb.dataId);
  return out;
}

export const batchMatMulConfig: tf.KernelConfig = { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: batchMatMul as unknown as tf.KernelFunc };
