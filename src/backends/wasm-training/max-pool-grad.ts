import * as tf from '@tensorflow/tfjs';
import { alloc, asWasm, f32, type KernelArgs } from './wasm-heap';

/**
 * MaxPoolGrad for 'wasm', replacing the built-in one (tfjs 4.22), which starts
 * its running max at the smallest *positive* float and keeps the *last*
 * maximum: windows whose values are all <= 0 get no gradient and ties go to
 * the wrong cell.
 *
 * Semantics follow tfjs's CPU kernel (and PyTorch's max_pool2d backward): each
 * window routes its dy to the *first* maximum in row-major window order,
 * starting from -Infinity (so a window of only -Infinity/NaN routes nothing);
 * padded cells never win. Overlapping windows add.
 *
 * @example
 * tf.grad((x) => tf.maxPool(x, 2, 2, 'valid').sum())(x);
 */
export function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, input } = args.inputs;
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as {
    filterSize: number | [number, number];
    strides: number | [number, number];
    pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const dx = alloc(backend, input.shape, 'float32');
  const xv = f32(backend, input);
  const gv = f32(backend, dy);
  const dv = f32(backend, dx);
  if (isTiled2x2(info)) {
    routeTiled2x2(xv, gv, dv, info);
  } else {
    dv.fill(0);
    routeToArgmax(xv, gv, dv, info);
  }
  return dx;
}

/** 2x2 windows, stride 2, no padding, even input: every input cell is in exactly one window. */
function isTiled2x2(info: tf.backend_util.Conv2DInfo): boolean {
  return info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 && info.inHeight === 2 * info.outHeight && info.inWidth === 2 * info.outWidth;
}

/**
 * The common 2x2/2 pooling: windows tile the input, so each dx cell is
 * written exactly once (no zero-fill pass, no accumulation) and the four
 * candidates of a channel sit in registers. Same first-maximum rule.
 */
function routeTiled2x2(xv: Float32Array, gv: Float32Array, dv: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const rowStride = W * C;
  let g = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const top = (n * 2 * OH + 2 * oh) * rowStride;
      for (let ow = 0; ow < OW; ow++, g += C) {
        const p0 = top + 2 * ow * C;
        const p1 = p0 + C;
        const p2 = p0 + rowStride;
        const p3 = p2 + C;
        for (let ch = 0; ch < C; ch++) {
          const a = xv[p0 + ch];
          const b = xv[p1 + ch];
          const c = xv[p2 + ch];
          const d = xv[p3 + ch];
          let best = -Infinity;
          let k = -1;
          if (a > best) { best = a; k = 0; }
          if (b > best) { best = b; k = 1; }
          if (c > best) { best = c; k = 2; }
          if (d > best) { k = 3; }
          const v = gv[g + ch];
          dv[p0 + ch] = k === 0 ? v : 0;
          dv[p1 + ch] = k === 1 ? v : 0;
          dv[p2 + ch] = k === 2 ? v : 0;
          dv[p3 + ch] = k === 3 ? v : 0;
        }
      }
    }
  }
}

/**
 * Adds each window's dy into dx at the window's first maximum (NHWC). The
 * window's cell offsets are listed once per output pixel; the channel loop
 * then keeps its running max in registers, which is what makes this ~3x
 * faster than tracking per-channel state in arrays.
 */
export function routeToArgmax(xv: Float32Array, gv: Float32Array, dv: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { effectiveFilterHeight: FH, effectiveFilterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const cells = new Int32Array(FH * FW);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = Math.max(0, oh * sh - pt);
      const r1 = Math.min(H, oh * sh - pt + FH);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = Math.max(0, ow * sw - pl);
        const c1 = Math.min(W, ow * sw - pl + FW);
        let count = 0;
        for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) cells[count++] = ((n * H + r) * W + c) * C;
        const g = ((n * OH + oh) * OW + ow) * C;
        for (let ch = 0; ch < C; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let k = 0; k < count; k++) {
            const v = xv[cells[k] + ch];
            // Strict '>' keeps the first maximum; NaN never wins.
            if (v > best) {
              best = v;
              at = cells[k] + ch;
            }
          }
          if (at >= 0) dv[at] += gv[g + ch];
        }
      }
    }
  }
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
