import * as tf from '@tensorflow/tfjs';
import { parseRoiCall } from './roi-args';
import { gatherReduce, type RoiTaps } from './roi-gather';
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
 * `grid` samples' linear interpolation, summed per pixel. A sample outside
 * [-1, size] gets no pixels (it contributes 0); one in [-1, 0] reads pixel 0;
 * one past size - 1 reads the last pixel.
 */
function axisTaps(start: number, binSize: number, grid: number, pooled: number, size: number): Map<number, number>[] {
  const bins: Map<number, number>[] = [];
  for (let p = 0; p < pooled; p++) {
    const taps = new Map<number, number>();
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
      if (h !== 0) taps.set(low, (taps.get(low) ?? 0) + h);
      if (l !== 0) taps.set(high, (taps.get(high) ?? 0) + l);
    }
    bins.push(taps);
  }
  return bins;
}

/**
 * RoIAlign (Mask R-CNN): average of bilinear samples on a regular grid in each
 * output bin, equal to torchvision.ops.roi_align (CPU kernel), with features
 * in NHWC. Gradients flow to `features` (gather + matMul underneath).
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
  const plans: RoiTaps[] = [];
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
    const ys = axisTaps(y1, binH, gridH, pooledH, H);
    const xs = axisTaps(x1, binW, gridW, pooledW, W);
    const T = Math.max(1, Math.max(...ys.map((m) => m.size)) * Math.max(...xs.map((m) => m.size)));
    const idx = new Int32Array(pooledH * pooledW * T);
    const w = new Float32Array(pooledH * pooledW * T);
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        let t = (ph * pooledW + pw) * T;
        for (const [row, wy] of ys[ph]) {
          for (const [col, wx] of xs[pw]) {
            idx[t] = (b * H + row) * W + col;
            w[t++] = (wy * wx) / count;
          }
        }
      }
    }
    plans.push({ T, idx, w });
  }
  return gatherReduce(call, plans, 'weightedSum');
}
