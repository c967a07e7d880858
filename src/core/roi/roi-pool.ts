import * as tf from '@tensorflow/tfjs';
import { parseRoiCall } from './roi-args';
import { gatherReduce } from './roi-gather';
import { PlanBuilder } from './roi-plan';
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
  const plan = new PlanBuilder(K * pooledH * pooledW, K * pooledH * pooledW * 4);
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
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
    for (let ph = 0; ph < pooledH; ph++) {
      const h0 = clip(Math.floor(f(ph * binH)) + startH, H);
      const h1 = clip(Math.ceil(f((ph + 1) * binH)) + startH, H);
      for (let pw = 0; pw < pooledW; pw++) {
        const w0 = clip(Math.floor(f(pw * binW)) + startW, W);
        const w1 = clip(Math.ceil(f((pw + 1) * binW)) + startW, W);
        // Raster order, so the first maximum is torchvision's argmax.
        for (let y = h0; y < h1; y++) {
          for (let x = w0; x < w1; x++) plan.push((b * H + y) * W + x, 1);
        }
        plan.endBin();
      }
    }
  }
  return gatherReduce(call, plan.finish(), 'max');
}
