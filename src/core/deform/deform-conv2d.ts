import * as tf from '@tensorflow/tfjs';
import { parseDeformCall, type DeformConv2dOptions } from './deform-args';
import { sampleLoops } from './sample-loops';
import { sampleTensors } from './sample-tensors';

type DeformKernel = 'auto' | 'loops' | 'tensors';
let kernel: DeformKernel = 'auto';
/** Backends whose tensors live in CPU memory, where JS loops beat tfjs's per-element gather. */
const CPU_MEMORY_BACKENDS = ['cpu', 'wasm', 'tensorflow'];

/** Forces one sampling implementation ('auto': loops on CPU-memory backends, tensor ops elsewhere); for tests and benches. */
export function setDeformKernel(k: DeformKernel): void {
  kernel = k;
}

/**
 * Deformable convolution (DCN v1, Dai et al. 2017; with `mask`, DCN v2, Zhu et
 * al. 2019), equal to torchvision.ops.deform_conv2d in tfjs's NHWC layout.
 * Each of the kh·kw taps of output pixel (oy, ox) reads the input at its
 * regular grid position plus a learned offset,
 *   y = oy·sy − py + i·dy + Δy,   x = ox·sx − px + j·dx + Δx,
 * by bilinear interpolation with zero outside the image, times the tap's mask
 * value; the samples then meet the filter as in an ordinary convolution.
 *
 * - input `[B, H, W, Cin]`; filter `[kh, kw, Cin/groups, Cout]` (tf.conv2d's).
 * - offset `[B, outH, outW, 2·offsetGroups·kh·kw]` in torchvision's channel
 *   order: for tap m = g·kh·kw + i·kw + j, channel 2m is Δy and 2m+1 is Δx;
 *   offset group g moves input channels [g·Cin/G, (g+1)·Cin/G).
 * - mask `[B, outH, outW, offsetGroups·kh·kw]`, channel m for tap m.
 * Differentiable in input, offset, mask, filter and bias on every backend.
 *
 * @example
 * const x = tf.randomNormal([1, 8, 8, 4]);
 * const w = tf.randomNormal([3, 3, 4, 16]);
 * const offset = tf.zeros([1, 8, 8, 18]); // zero offsets: a plain 3x3 conv
 * const y = deformConv2d(x, offset, w, { padding: 1 }); // [1, 8, 8, 16]
 */
export function deformConv2d(input: tf.Tensor4D, offset: tf.Tensor4D, filter: tf.Tensor4D, options: DeformConv2dOptions = {}): tf.Tensor4D {
  const op = 'deformConv2d';
  const g = parseDeformCall(op, input, offset, filter, options);
  const { B, outH, outW, C, kh, kw, groups, cout } = g;
  const useLoops = kernel === 'loops' || (kernel === 'auto' && CPU_MEMORY_BACKENDS.includes(tf.getBackend()));
  return tf.tidy(() => {
    const cols = (useLoops ? sampleLoops : sampleTensors)(g, input, offset, options.mask);
    const P = B * outH * outW;
    const K = kh * kw;
    let out: tf.Tensor;
    if (groups === 1) {
      out = tf.matMul(tf.reshape(cols, [P, K * C]), tf.reshape(filter, [K * C, cout]));
    } else {
      // Group q convolves input channels [q·C/groups, ...) into output channels [q·Cout/groups, ...).
      const cq = C / groups;
      const oq = cout / groups;
      const a = tf.reshape(tf.transpose(tf.reshape(cols, [P, K, groups, cq]), [2, 0, 1, 3]), [groups, P, K * cq]);
      const w = tf.transpose(tf.reshape(filter, [K * cq, groups, oq]), [1, 0, 2]);
      out = tf.reshape(tf.transpose(tf.matMul(a, w), [1, 0, 2]), [P, cout]);
    }
    if (options.bias) out = tf.add(out, options.bias);
    return tf.reshape(out, [B, outH, outW, cout]) as tf.Tensor4D;
  });
}
