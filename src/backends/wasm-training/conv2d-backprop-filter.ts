import * as tf from '@tensorflow/tfjs';
import { alloc, asWasm, f32, makeView, release, releaseView, runWasmKernel, type KernelArgs } from './wasm-heap';

/**
 * Conv2DBackpropFilter for 'wasm' (tfjs 4.22 has none, which is what makes
 * training a conv net throw). The filter gradient is one matrix product:
 *
 *   dW[(kh,kw,ci), co] = sum_k P[(kh,kw,ci), k] * dY[k, co],   k = (n, oh, ow)
 *
 * where P is the transposed im2col of x (row (kh,kw,ci) holds, for every
 * output pixel, the input value under that filter tap). P is written straight
 * into wasm memory in this [M, K] layout because the backend's matmul is ~10x
 * faster without transpose flags (XNNPack's GEMM vs a generic loop: 3 ms vs
 * 30 ms for [27x65536]x[65536x16]). Stride 1 builds P from one memcpy per
 * row (`filterGradGrid`); other strides gather it element by element
 * (`filterGradFromPatches`). Batches are taken a few images at a time so P
 * stays under ~16 MB whatever the layer.
 */
/** Patch-matrix budget in elements (16 MB); mutable so tests can force chunking. */
export const conv2dFilterGradOptions = { chunkElements: 4 * 1024 * 1024 };

/**
 * The kernel function registered as 'Conv2DBackpropFilter' for 'wasm'.
 *
 * @example
 * tf.grad((w) => tf.conv2d(x, w, 1, 'same').sum())(w); // runs this kernel on 'wasm'
 */
export function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') {
    throw new Error("Conv2DBackpropFilter on 'wasm' supports dataFormat 'NHWC' only (the wasm Conv2D has the same limit).");
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  if (info.strideHeight === 1 && info.strideWidth === 1) return filterGradGrid(backend, x, dy, info);
  return filterGradFromPatches(backend, x, dy, info);
}

/**
 * Stride-1 filter gradient with the patch matrix built from memcpys. Pad x
 * and store it channel-major, xpadT[ci, g] over grid positions
 * g = (n*Hp + r)*Wp + c of the padded Hp x Wp image, and put dy on the same
 * grid (zeros where there is no output pixel). Output pixel g reads tap
 * (kh,kw) at g + kh*Wp + kw, so row (kh,kw,ci) of the transposed patch
 * matrix is one contiguous run of xpadT's row ci: one `set` per row instead
 * of a gather per element. Then dW = P^T [M, K] @ dyGrid [K, CO], one plain
 * GEMM. Grid positions that are not output pixels carry dy = 0 and add
 * nothing; the cost is (Hp*Wp)/(OH*OW) extra columns (~6% at 64x64, 3x3).
 */
function filterGradGrid(
  backend: ReturnType<typeof asWasm>,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const Hp = OH + KH - 1;
  const Wp = OW + KW - 1;
  const G = Hp * Wp;
  const M = KH * KW * CI;
  const imgsPerChunk = Math.max(1, Math.min(N, Math.floor(conv2dFilterGradOptions.chunkElements / Math.max(1, M * G))));
  const xpadT = alloc(backend, [CI, N * G]);
  const dyGrid = alloc(backend, [N * G, CO]);
  const patches = alloc(backend, [M, imgsPerChunk * G]);
  const out = alloc(backend, [KH, KW, CI, CO]);
  {
    // Channel-major copy of x by the backend's Transpose, then padded rows by memcpy.
    const xT = runWasmKernel('Transpose', backend, { x: { ...x, shape: [N * H * W, CI] } }, { perm: [1, 0] });
    const xv = f32(backend, xT);
    const pv = f32(backend, xpadT);
    pv.fill(0);
    const iw0 = Math.max(0, -pl);
    const iw1 = Math.min(W, Wp - pl);
    if (iw1 > iw0) {
      for (let ci = 0; ci < CI; ci++) {
        for (let n = 0; n < N; n++) {
          for (let r = 0; r < Hp; r++) {
            const ih = r - pt;
            if (ih < 0 || ih >= H) continue;
            const from = ((ci * N + n) * H + ih) * W + iw0;
            pv.set(xv.subarray(from, from + iw1 - iw0), ci * N * G + n * G + r * Wp + pl + iw0);
          }
        }
      }
    }
    release(backend, xT);
    const gv = f32(backend, dy);
    const dv = f32(backend, dyGrid);
    dv.fill(0);
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < OH; oh++) {
        const from = (n * OH + oh) * OW * CO;
        dv.set(gv.subarray(from, from + OW * CO), (n * G + oh * Wp) * CO);
      }
    }
  }
  for (let n0 = 0; n0 < N; n0 += imgsPerChunk) {
    const nc = Math.min(imgsPerChunk, N - n0);
    // Up to the last output pixel of the chunk: every tap's run then stays inside row ci.
    const K = ((nc - 1) * Hp + OH - 1) * Wp + OW;
    const xs = f32(backend, xpadT);
    const ps = f32(backend, patches);
    let o = 0;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        for (let ci = 0; ci < CI; ci++) {
          const from = ci * N * G + n0 * G + kh * Wp + kw;
          ps.set(xs.subarray(from, from + K), o);
          o += K;
        }
      }
    }
    const a = makeView(backend, patches, 0, [M, K]);
    const b = makeView(backend, dyGrid, n0 * G * CO, [K, CO]);
    const prod = runWasmKernel('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
    releaseView(backend, a);
    releaseView(backend, b);
    const pr = f32(backend, prod);
    const ov = f32(backend, out);
    if (n0 === 0) ov.set(pr);
    else for (let i = 0; i < ov.length; i++) ov[i] += pr[i];
    release(backend, prod);
  }
  release(backend, patches);
  release(backend, dyGrid);
  release(backend, xpadT);
  return out;
}

/**
 * Any stride: P gathered per element (strided reads of x, sequential writes),
 * dy used in place as the [K, CO] matrix.
 */
function filterGradFromPatches(
  backend: ReturnType<typeof asWasm>,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const M = KH * KW * CI;
  const pix = OH * OW;
  const imgsPerChunk = Math.max(1, Math.min(N, Math.floor(conv2dFilterGradOptions.chunkElements / Math.max(1, M * pix))));

  const out = alloc(backend, [KH, KW, CI, CO]);
  const patches = alloc(backend, [M, imgsPerChunk * pix]);
  // Valid output-column range per kw: the taps that land inside the image.
  const owLo = new Int32Array(KW);
  const owHi = new Int32Array(KW);
  for (let kw = 0; kw < KW; kw++) {
    const off = kw * dw - pl;
    owLo[kw] = Math.min(OW, Math.max(0, Math.ceil(-off / sw)));
    owHi[kw] = Math.max(owLo[kw], Math.min(OW, Math.floor((W - 1 - off) / sw) + 1));
  }

  for (let n0 = 0; n0 < N; n0 += imgsPerChunk) {
    const nc = Math.min(imgsPerChunk, N - n0);
    const K = nc * pix;
    const xv = f32(backend, x);
    const pv = f32(backend, patches);
    let o = 0;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const lo = owLo[kw];
        const hi = owHi[kw];
        const colOff = kw * dw - pl;
        for (let ci = 0; ci < CI; ci++) {
          for (let n = n0; n < n0 + nc; n++) {
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh + kh * dh - pt;
              if (ih < 0 || ih >= H) {
                pv.fill(0, o, o + OW);
                o += OW;
                continue;
              }
              const rowBase = ((n * H + ih) * W + colOff) * CI + ci;
              const step = sw * CI;
              let ow = 0;
              for (; ow < lo; ow++) pv[o++] = 0;
              for (let src = rowBase + lo * step; ow < hi; ow++, src += step) pv[o++] = xv[src];
              for (; ow < OW; ow++) pv[o++] = 0;
            }
          }
        }
      }
    }
    const a = nc === imgsPerChunk ? patches : makeView(backend, patches, 0, [M, K]);
    const b = makeView(backend, dy, n0 * pix * CO, [K, CO]);
    const prod = runWasmKernel('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
    if (a !== patches) releaseView(backend, a);
    releaseView(backend, b);
    const pr = f32(backend, prod);
    const ov = f32(backend, out);
    if (n0 === 0) ov.set(pr);
    else for (let i = 0; i < ov.length; i++) ov[i] += pr[i];
    release(backend, prod);
  }
  release(backend, patches);
  return out;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
