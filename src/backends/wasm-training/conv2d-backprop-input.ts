import * as tf from '@tensorflow/tfjs';
import { alloc, asWasm, f32, release, wasmFn, type KernelArgs, type WasmBackendLike } from './wasm-heap';
import { originalKernel } from './register';

/**
 * Conv2DBackpropInput for 'wasm', as the transposed convolution run through
 * the backend's own (XNNPack) forward Conv2D. Strided convs go phase by
 * phase (`byPhases`, below); stride 1, and strided shapes the phases cannot
 * express, use
 *
 *   dx = conv2d(dilate(dy, stride), rot180(W) with in/out channels swapped)
 *
 * with explicit padding (KH-1-padTop) on top and whatever makes the output
 * exactly H rows at the bottom (same for columns). `dilate` inserts stride-1
 * zeros between dy's pixels; for stride 1 dy is used in place. The built-in
 * kernel is a correct scalar loop about 10x slower than the forward conv; it
 * is kept for the shapes this path cannot express (padding larger than the
 * kernel, NCHW).
 *
 * @example
 * tf.conv2dTranspose(y, w, [8, 16, 16, 3], 2, 'same'); // and the input gradient of conv2d
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
  if (sh > 1 || sw > 1) {
    const out = byPhases(backend, dy, filter, info);
    if (out) return out;
  }
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return fallback();
  return transposedConv(backend, dy, filter, { N, H, W, CI, OH, OW, CO, KH, KW, sh, sw, DH, DW, top, left, bottom, right });
}

/** The taps of one output phase along one axis, and the conv that computes it. */
interface Phase {
  taps: number[]; // kernel rows kh = p + j*s, j = 0..J-1
  qmin: number; // first q with i = q*s + p - pad inside [0, size)
  count: number; // number of such q
  padBefore: number;
  padAfter: number;
}

function phase(p: number, s: number, K: number, pad: number, size: number, outSize: number): Phase | null {
  const taps: number[] = [];
  for (let k = p; k < K; k += s) taps.push(k);
  const qmin = Math.ceil((pad - p) / s);
  const qmax = Math.floor((size - 1 + pad - p) / s);
  const count = Math.max(0, qmax - qmin + 1);
  const J = taps.length;
  const padBefore = J - 1 - qmin;
  const padAfter = count - outSize - padBefore + J - 1;
  if (J > 0 && count > 0 && (padBefore < 0 || padAfter < 0)) return null;
  return { taps, qmin, count, padBefore, padAfter };
}

/**
 * Strided input gradient without the zeros: input rows i with
 * (i + padTop) mod s = p only receive taps kh = p, p+s, p+2s, ..., so each of
 * the s*s phases is a stride-1 conv of dy with that sub-filter (reversed,
 * channels swapped), and the phases interleave into dx. Total work is one
 * forward conv's worth, against s*s times that for zero insertion. Returns
 * null when a phase would need negative padding (padding wider than the
 * kernel); the caller then takes another path.
 */
function byPhases(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const rows: Phase[] = [];
  const cols: Phase[] = [];
  for (let p = 0; p < sh; p++) {
    const ph = phase(p, sh, KH, info.padInfo.top, H, OH);
    if (!ph) return null;
    rows.push(ph);
  }
  for (let p = 0; p < sw; p++) {
    const pw = phase(p, sw, KW, info.padInfo.left, W, OW);
    if (!pw) return null;
    cols.push(pw);
  }
  const out = alloc(backend, [N, H, W, CI]);
  f32(backend, out).fill(0);
  const id = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).id;
  for (let a = 0; a < sh; a++) {
    for (let b = 0; b < sw; b++) {
      const r = rows[a];
      const c = cols[b];
      const JH = r.taps.length;
      const JW = c.taps.length;
      if (JH === 0 || JW === 0 || r.count === 0 || c.count === 0) continue; // no taps reach these cells: dx stays 0
      // Sub-filter, reversed along both axes, [JH, JW, CO, CI].
      const sub = alloc(backend, [JH, JW, CO, CI]);
      const part = alloc(backend, [N, r.count, c.count, CI]);
      const wv = f32(backend, filter);
      const sv = f32(backend, sub);
      for (let j = 0; j < JH; j++) {
        for (let i = 0; i < JW; i++) {
          const from = (r.taps[JH - 1 - j] * KW + c.taps[JW - 1 - i]) * CI * CO;
          const to = (j * JW + i) * CO * CI;
          for (let ci = 0; ci < CI; ci++) for (let co = 0; co < CO; co++) sv[to + co * CI + ci] = wv[from + ci * CO + co];
        }
      }
      wasmFn(backend, 'Conv2D', 19)(
        id(dy), N, OH, OW, id(sub), JH, JW, r.padBefore, c.padAfter, r.padAfter, c.padBefore, /* isSamePad */ 0,
        /* dilation */ 1, 1, /* stride */ 1, 1, CO, CI, id(part),
      );
      release(backend, sub);
      const pv = f32(backend, part);
      const dv = f32(backend, out);
      const ih0 = r.qmin * sh + a - info.padInfo.top;
      const iw0 = c.qmin * sw + b - info.padInfo.left;
      for (let n = 0; n < N; n++) {
        for (let t = 0; t < r.count; t++) {
          const ih = ih0 + t * sh;
          let from = (n * r.count + t) * c.count * CI;
          let to = ((n * H + ih) * W + iw0) * CI;
          // Pixel runs are short (CI floats): a plain loop beats subarray+set here.
          for (let u = 0; u < c.count; u++, to += (sw - 1) * CI) for (let k = 0; k < CI; k++) dv[to++] = pv[from++];
        }
      }
      release(backend, part);
    }
  }
  return out;
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
