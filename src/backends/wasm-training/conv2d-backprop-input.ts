import * as tf from '@tensorflow/tfjs';
import { alloc, asWasm, f32, release, wasmFn, type KernelArgs, type WasmBackendLike } from './wasm-heap';
import { originalKernel } from './register';

/**
 * Conv2DBackpropInput for 'wasm', as the transposed convolution run through
 * the backend's own (XNNPack) forward Conv2D:
 *
 *   dx = conv2d(dilate(dy, stride), rot180(W) with in/out channels swapped)
 *
 * with explicit padding (KH-1-padTop) on top and whatever makes the output
 * exactly H rows at the bottom (same for columns). `dilate` inserts stride-1
 * zeros between dy's pixels; for stride 1 dy is used in place. The built-in
 * kernel is a correct scalar loop about 10x slower than the forward conv; it
 * is kept for the shapes this path cannot express (padding larger than the
 * kernel, NCHW).
 */
export function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  const fallback = () => originalKernel('Conv2DBackpropInput', backend)!(args as never) as tf.TensorInfo;
  if (dataFormat === 'NCHW') return fallback();
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const DH = (OH - 1) * sh + 1;
  const DW = (OW - 1) * sw + 1;
  const top = KH - 1 - info.padInfo.top;
  const left = KW - 1 - info.padInfo.left;
  const bottom = H - DH - top + KH - 1;
  const right = W - DW - left + KW - 1;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return fallback();
  return transposedConv(backend, dy, filter, { N, H, W, CI, OH, OW, CO, KH, KW, sh, sw, DH, DW, top, left, bottom, right });
}

interface Plan {
  N: number; H: number; W: number; CI: number; OH: number; OW: number; CO: number; KH: number; KW: number;
  sh: number; sw: number; DH: number; DW: number; top: number; left: number; bottom: number; right: number;
}

function transposedConv(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, p: Plan): tf.TensorInfo {
  const { N, H, W, CI, OH, OW, CO, KH, KW, sh, sw, DH, DW } = p;
  // rot180 and swap: W'[kh,kw,co,ci] = W[KH-1-kh, KW-1-kw, ci, co].
  const flipped = alloc(backend, [KH, KW, CO, CI]);
  let src = dy;
  if (sh > 1 || sw > 1) src = alloc(backend, [N, DH, DW, CO]);
  const out = alloc(backend, [N, H, W, CI]);
  const wv = f32(backend, filter);
  const fv = f32(backend, flipped);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const s = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
      const d = (kh * KW + kw) * CO * CI;
      for (let ci = 0; ci < CI; ci++) for (let co = 0; co < CO; co++) fv[d + co * CI + ci] = wv[s + ci * CO + co];
    }
  }
  if (src !== dy) {
    const dv = f32(backend, dy);
    const zv = f32(backend, src);
    zv.fill(0);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const from = ((n * OH + oh) * OW + ow) * CO;
          zv.set(dv.subarray(from, from + CO), ((n * DH + oh * sh) * DW + ow * sw) * CO);
        }
      }
    }
  }
  const id = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).id;
  // Argument order of the wasm export, as in tfjs-backend-wasm's Conv2D kernel.
  wasmFn(backend, 'Conv2D', 19)(
    id(src), N, DH, DW, id(flipped), KH, KW, p.top, p.right, p.bottom, p.left, /* isSamePad */ 0,
    /* dilation */ 1, 1, /* stride */ 1, 1, CO, CI, id(out),
  );
  release(backend, flipped);
  if (src !== dy) release(backend, src);
  return out;
}

export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
