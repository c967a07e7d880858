import * as tf from '@tensorflow/tfjs';
import { taps, type DwAttrs } from './depthwise-info';
import { alloc, asWasm, f32, type KernelArgs } from './wasm-heap';

/** dx[n,ih,iw,c] = sum over taps and multipliers of W[kh,kw,c,m] * dy[n,oh,ow,c*CM+m], scattered from each output pixel.  *
 * @example
 * tf.grad((x) => tf.depthwiseConv2d(x, w, 1, 'same').sum())(x);
 */
export function depthwiseBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs as DwAttrs & {
    inputShape: [number, number, number, number];
  };
  const t = taps(tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true,
  ));
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, CM } = t;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = t;
  const CO = CI * CM;
  const out = alloc(backend, inputShape);
  const wv = f32(backend, filter);
  const gv = f32(backend, dy);
  const dv = f32(backend, out);
  dv.fill(0);
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
              for (let c = 0; c < CI; c++) dv[xb + c] += wv[fb + c] * gv[g + c];
            } else {
              for (let c = 0; c < CI; c++) {
                let s = 0;
                for (let m = 0; m < CM; m++) s += wv[fb + c * CM + m] * gv[g + c * CM + m];
                dv[xb + c] += s;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
