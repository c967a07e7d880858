import * as tf from '@tensorflow/tfjs';
import { taps, type DwAttrs } from './depthwise-info';
import { alloc, asWasm, f32, type KernelArgs } from './wasm-heap';

/** dW[kh,kw,c,m] = sum over (n,oh,ow) of x[n, oh*sh+kh*dh-pt, ow*sw+kw*dw-pl, c] * dy[n,oh,ow,c*CM+m]; float64 accumulators.  *
 * @example
 * tf.grad((w) => tf.depthwiseConv2d(x, w, 1, 'same').sum())(w);
 */
export function depthwiseBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = args.attrs as DwAttrs & {
    filterShape: [number, number, number, number];
  };
  const t = taps(tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true,
  ));
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, CM } = t;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = t;
  const CO = CI * CM;
  // Float64 accumulation: a filter tap sums N*OH*OW products.
  const acc = new Float64Array(KH * KW * CO);
  const out = alloc(backend, [KH, KW, CI, CM]);
  const xv = f32(backend, x);
  const gv = f32(backend, dy);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * sh + kh * dh - t.pt;
        if (ih < 0 || ih >= H) continue;
        for (let ow = 0; ow < OW; ow++) {
          const g = ((n * OH + oh) * OW + ow) * CO;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw * dw - t.pl;
            if (iw < 0 || iw >= W) continue;
            const xb = ((n * H + ih) * W + iw) * CI;
            const fb = (kh * KW + kw) * CO;
            if (CM === 1) {
              for (let c = 0; c < CI; c++) acc[fb + c] += xv[xb + c] * gv[g + c];
            } else {
              for (let c = 0; c < CI; c++) {
                const xval = xv[xb + c];
                for (let m = 0; m < CM; m++) acc[fb + c * CM + m] += xval * gv[g + c * CM + m];
              }
            }
          }
        }
      }
    }
  }
  f32(backend, out).set(acc);
  return out;
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
};

