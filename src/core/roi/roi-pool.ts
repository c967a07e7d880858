import * as tf from '@tensorflow/tfjs';
import { parseRoiCall } from './roi-args';
import { gatherReduce, type RoiTaps } from './roi-gather';
import { fail } from '../../util/validate';

export interface RoiPoolOptions {
  /** Output bins per RoI: n for n x n, or [height, width]. */
  outputSize: number | [number, number];
  /** Multiplies RoI coordinates to reach feature-map pixels (1 / stride). Default 1. */
  spatialScale?: number;
}

const f = Math.fround;

/** C's round(): halves go away from zero (JS Math.round sends -2.5 to -2). */
function roundHalfAway(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/**
 * RoIPool (Fast R-CNN): the max over the pixels of each output bin, equal to
 * torchvision.ops.roi_pool (CPU kernel) with features in NHWC. Corners are
 * scaled and rounded to whole pixels (halves away from zero); the RoI is at
 * least 1x1; bin p covers [floor(p * bin), ceil((p + 1) * bin)) clipped to the
 * map; an empty bin gives 0. Gradients flow to `features`; where several
 * pixels tie for the max, the first in raster order receives it, as in torchvision.
 *
 * @example
 * const features = tf.range(0, 16).reshape([1, 4, 4, 1]);
 * roiPool(features, [[0, 0, 0, 3, 3]], { outputSize: 2 }); // [[5, 7], [13, 15]]
 */
export function roiPool(features: tf.Tensor4D, rois: tf.Tensor2D | number[][], options: RoiPoolOptions): tf.Tensor4D {
  const op = 'roiPool';
  if (typeof options !== 'object' || options === null) fail(op, 'options', 'an object {outputSize, spatialScale?}', String(options));
  const { outputSize, spatialScale = 1 } = options;
  const call = parseRoiCall(op, features, rois, outputSize, spatialScale);
  const { H, W, K, pooledH, pooledW, rois: r } = call;
  const scale = f(spatialScale);
  const plans: RoiTaps[] = [];
  for (let k = 0; k < K; k++) {
    const b = r[k * 5];
    const startW = roundHalfAway(f(r[k * 5 + 1] * scale));
    const startH = roundHalfAway(f(r[k * 5 + 2] * scale));
    const endW = roundHalfAway(f(r[k * 5 + 3] * scale));
    const endH = roundHalfAway(f(r[k * 5 + 4] * scale));
    const roiW = Math.max(endW - startW + 1, 1);
    const roiH = Math.max(endH - startH + 1, 1);
    const binH = f(roiH / pooledH);
    const binW = f(roiW / pooledW);
    const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
    const hRange = (p: number) => [clip(Math.floor(f(p * binH)) + startH, H), clip(Math.ceil(f((p + 1) * binH)) + startH, H)];
    const wRange = (p: number) => [clip(Math.floor(f(p * binW)) + startW, W), clip(Math.ceil(f((p + 1) * binW)) + startW, W)];
    let T = 1;
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        const [h0, h1] = hRange(ph);
        const [w0, w1] = wRange(pw);
        T = Math.max(T, Math.max(0, h1 - h0) * Math.max(0, w1 - w0));
      }
    }
    const idx = new Int32Array(pooledH * pooledW * T);
    const w = new Float32Array(pooledH * pooledW * T);
    for (let ph = 0; ph < pooledH; ph++) {
      for (let pw = 0; pw < pooledW; pw++) {
        const [h0, h1] = hRange(ph);
        const [w0, w1] = wRange(pw);
        let t = (ph * pooledW + pw) * T;
        for (let y = h0; y < h1; y++) {
          for (let x = w0; x < w1; x++) {
            idx[t] = (b * H + y) * W + x;
            w[t++] = 1;
          }
        }
      }
    }
    plans.push({ T, idx, w });
  }
  return gatherReduce(call, plans, 'max');
}
