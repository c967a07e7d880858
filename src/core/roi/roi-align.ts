import * as tf from '@tensorflow/tfjs';
import { parseRoiCall } from './roi-args';
import { gatherReduce } from './roi-gather';
import { PlanBuilder } from './roi-plan';
import { fail } from '../../util/validate';

export interface RoiAlignOptions {
  /** Output bins per RoI: n for n x n, or [height, width]. */
  outputSize: number | [number, number];
  /** Multiplies RoI coordinates to reach feature-map pixels (1 / stride). Default 1. */
  spatialScale?: number;
  /** Sample points per bin side; <= 0 means adaptive, ceil(roi size / output size). Default -1. */
  samplingRatio?: number;
  /** Shift the box by -0.5 pixel so pixel centres sit at integer + 0.5 (Detectron2's RoIAlignV2). Default false. */
  aligned?: boolean;
}

const f = Math.fround;

/**
 * Sample positions along one axis, as torchvision's pre_calc_for_bilinear_interpolate
 * computes them in float32: for each bin, the (pixel, weight) pairs of its
 * `grid` samples' linear interpolation, summed per pixel in first-seen order.
 * A sample outside [-1, size] gets no pixels (it contributes 0); one in
 * [-1, 0] reads pixel 0; one past size - 1 reads the last pixel. Writes bin
 * p's pairs to pix/wt[offs[p] .. offs[p+1]].
 */
function axisTaps(start: number, binSize: number, grid: number, pooled: number, size: number, pix: Int32Array, wt: Float64Array, offs: Int32Array): void {
  let n = 0;
  const add = (from: number, p: number, v: number) => {
    for (let j = from; j < n; j++) {
      if (pix[j] === p) {
        wt[j] += v;
        return;
      }
    }
    pix[n] = p;
    wt[n++] = v;
  };
  for (let p = 0; p < pooled; p++) {
    const from = n;
    offs[p] = from;
    for (let i = 0; i < grid; i++) {
      let c = f(f(start + f(p * binSize)) + f(f(f(i + 0.5) * binSize) / grid));
      if (!(c >= -1 && c <= size)) continue;
      if (c <= 0) c = 0;
      let low = Math.trunc(c);
      let high: number;
      if (low >= size - 1) {
        high = low = size - 1;
        c = low;
      } else {
        high = low + 1;
      }
      const l = f(c - low);
      const h = f(1 - l);
      if (h !== 0) add(from, low, h);
      if (l !== 0) add(from, high, l);
    }
  }
  offs[pooled] = n;
}

/**
 * RoIAlign (Mask R-CNN): average of bilinear samples on a regular grid in each
 * output bin, equal to torchvision.ops.roi_align (CPU kernel), with features
 * in NHWC. Gradients flow to `features` (a direct kernel on cpu/wasm, gather + matMul elsewhere: roi-gather.ts).
 *
 * - features `[B, H, W, C]`; rois `[K, 5]` rows (batchIndex, x1, y1, x2, y2) in
 *   input pixels, multiplied by `spatialScale`; result `[K, outH, outW, C]`.
 * - `aligned: false` forces each RoI to at least 1x1 pixel; `aligned: true`
 *   subtracts 0.5 from the scaled corners and keeps the size as is.
 *
 * @example
 * const features = tf.range(0, 16).reshape([1, 4, 4, 1]);
 * const out = roiAlign(features, [[0, 0, 0, 2, 2]], { outputSize: 1, samplingRatio: 1 });
 * // one sample at (1, 1): features[1][1] = 5
 */
export function roiAlign(features: tf.Tensor4D, rois: tf.Tensor2D | number[][], options: RoiAlignOptions): tf.Tensor4D {
  const op = 'roiAlign';
  if (typeof options !== 'object' || options === null) fail(op, 'options', 'an object {outputSize, spatialScale?, samplingRatio?, aligned?}', String(options));
  const { outputSize, spatialScale = 1, samplingRatio = -1, aligned = false } = options;
  if (typeof samplingRatio !== 'number' || !Number.isInteger(samplingRatio)) fail(op, 'samplingRatio', 'an integer (<= 0 for adaptive)', String(samplingRatio));
  if (typeof aligned !== 'boolean') fail(op, 'aligned', 'a boolean', String(aligned));
  const call = parseRoiCall(op, features, rois, outputSize, spatialScale);
  const { H, W, K, pooledH, pooledW, rois: r } = call;
  const scale = f(spatialScale);
  const offset = aligned ? 0.5 : 0;
  const plan = new PlanBuilder(K * pooledH * pooledW, K * pooledH * pooledW * 9);
  // Scratch for one RoI's per-axis taps: at most 2 pixels per sample.
  let cap = 0;
  let yPix = new Int32Array(0), xPix = new Int32Array(0);
  let yW = new Float64Array(0), xW = new Float64Array(0);
  const yOff = new Int32Array(pooledH + 1);
  const xOff = new Int32Array(pooledW + 1);
  for (let k = 0; k < K; k++) {
    const b = r[k * 5];
    const x1 = f(f(r[k * 5 + 1] * scale) - offset);
    const y1 = f(f(r[k * 5 + 2] * scale) - offset);
    const x2 = f(f(r[k * 5 + 3] * scale) - offset);
    const y2 = f(f(r[k * 5 + 4] * scale) - offset);
    let roiW = f(x2 - x1);
    let roiH = f(y2 - y1);
    if (!aligned) {
      roiW = Math.max(roiW, 1);
      roiH = Math.max(roiH, 1);
    }
    const binH = f(roiH / pooledH);
    const binW = f(roiW / pooledW);
    const gridH = samplingRatio > 0 ? samplingRatio : Math.ceil(f(roiH / pooledH));
    const gridW = samplingRatio > 0 ? samplingRatio : Math.ceil(f(roiW / pooledW));
    const count = Math.max(gridH * gridW, 1);
    const need = 2 * Math.max(gridH * pooledH, gridW * pooledW);
    if (need > cap) {
      cap = need;
      [yPix, xPix, yW, xW] = [new Int32Array(cap), new Int32Array(cap), new Float64Array(cap), new Float64Array(cap)];
    }
    axisTaps(y1, binH, gridH, pooledH, H, yPix, yW, yOff);
    axisTaps(x1, binW, gridW, pooledW, W, xPix, xW, xOff);
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        for (let i = yOff[ph]; i < yOff[ph + 1]; i++) {
          const rowBase = (b * H + yPix[i]) * W;
          const wy = yW[i];
          for (let j = xOff[pw]; j < xOff[pw + 1]; j++) plan.push(rowBase + xPix[j], (wy * xW[j]) / count);
        }
        plan.endBin();
      }
    }
  }
  return gatherReduce(call, plan.finish(), 'weightedSum');
}
