import * as tf from '@tensorflow/tfjs';
import { roiAlign } from '../../core/index';

export interface MultiScaleRoiAlignOptions {
  /** Bins per side (torchvision's Faster R-CNN: 7). */
  outputSize: number;
  /** Samples per bin side (torchvision: 2). */
  samplingRatio: number;
}

/**
 * torchvision's MultiScaleRoIAlign: each RoI is pooled from the one pyramid
 * level `levels[k]` chose for it (see `mapLevels`), at that level's
 * 1/stride scale, and the results are put back in the RoIs' order.
 * `rois` flat (batchIndex, x1, y1, x2, y2) per RoI in input pixels.
 * Returns `[K, outputSize, outputSize, C]`; gradients reach the features.
 */
export function multiScaleRoiAlign(
  features: tf.Tensor4D[],
  strides: number[],
  rois: ArrayLike<number>,
  levels: ArrayLike<number>,
  options: MultiScaleRoiAlignOptions,
): tf.Tensor4D {
  const K = levels.length;
  if (rois.length !== 5 * K) throw new Error(`multiScaleRoiAlign: 'rois' must hold 5 values per RoI (${5 * K}), got ${rois.length}.`);
  const C = features[0].shape[3];
  const { outputSize, samplingRatio } = options;
  return tf.tidy(() => {
    if (K === 0) return tf.zeros([0, outputSize, outputSize, C]) as tf.Tensor4D;
    const parts: tf.Tensor4D[] = [];
    const order: number[] = [];
    features.forEach((f, l) => {
      const members: number[] = [];
      for (let k = 0; k < K; k++) if (levels[k] === l) members.push(k);
      if (members.length === 0) return;
      const rows = members.map((k) => Array.from({ length: 5 }, (_, j) => rois[5 * k + j]));
      parts.push(roiAlign(f, rows, { outputSize, spatialScale: 1 / strides[l], samplingRatio }));
      order.push(...members);
    });
    const pooled = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    // pooled row r belongs to RoI order[r]; RoI k is at row inverse[k].
    const inverse = new Int32Array(K);
    order.forEach((k, r) => (inverse[k] = r));
    return tf.gather(pooled, tf.tensor1d(inverse, 'int32')) as tf.Tensor4D;
  });
}
