import * as tf from '@tensorflow/tfjs';
import { AdaptiveAvgPool2d } from '../../nn/adaptive-avg-pool';
import { fpnInit, fpnLevels, lastLevelMaxPool } from './fpn';
import type { NeckOptions } from './index';
import { ResizeTo, SpatialWeightedSum } from './layers';

/** AugFPN's pooling ratios (the authors' code: adaptive_pool_output_ratio = [0.1, 0.2, 0.3]). */
export const AUGFPN_RATIOS = [0.1, 0.2, 0.3] as const;

/**
 * AugFPN's neck (Guo et al., AugFPN: Improving Multi-scale Feature Learning
 * for Object Detection, CVPR 2020), as the authors' mmdetection code builds
 * it: an FPN whose coarsest lateral M5 gets the residual feature augmentation
 * M6 added before the top-down pass.
 * - Ratio-invariant adaptive pooling: C5 (h x w) is adaptive-average-pooled to
 *   max(1, floor(r·h)) x max(1, floor(r·w)) for r = 0.1, 0.2, 0.3, each
 *   pooled map goes through its own 1x1 conv (bias) to `channels` and is
 *   upsampled bilinearly (align_corners) back to h x w (`${name}_rfa{j}_*`).
 * - Adaptive spatial fusion: the three maps concatenated, 1x1 conv (3C → C) +
 *   ReLU + 3x3 conv (C → 3) + sigmoid give one spatial weight map per
 *   context feature; M6 = Σ_j weight_j · context_j (`${name}_asf_*`).
 * Then FPN as `fpnNeck` (same layer names) with P6 = max-pool(1, stride 2).
 * Consistent supervision and soft RoI selection (training-time and RoI-head
 * parts of the paper) are not part of the neck.
 */
export function augFpnNeck(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  const { channels, name, seed } = options;
  const c5 = features[features.length - 1];
  const augment = (top: tf.SymbolicTensor): tf.SymbolicTensor => {
    const [h, w] = c5.shape.slice(1, 3) as number[];
    const contexts = AUGFPN_RATIOS.map((r, j) => {
      const size: [number, number] = [Math.max(1, Math.floor(h * r)), Math.max(1, Math.floor(w * r))];
      const pooled = new AdaptiveAvgPool2d({ outputSize: size, name: `${name}_rfa${j}_pool` }).apply(c5) as tf.SymbolicTensor;
      const conv = tf.layers.conv2d({ filters: channels, kernelSize: 1, kernelInitializer: fpnInit(seed), name: `${name}_rfa${j}_conv` }).apply(pooled) as tf.SymbolicTensor;
      return new ResizeTo({ size: [h, w], method: 'bilinear', alignCorners: true, name: `${name}_rfa${j}_up` }).apply(conv) as tf.SymbolicTensor;
    });
    const cat = tf.layers.concatenate({ axis: -1, name: `${name}_asf_concat` }).apply(contexts) as tf.SymbolicTensor;
    const reduce = tf.layers.conv2d({ filters: channels, kernelSize: 1, activation: 'relu', kernelInitializer: fpnInit(seed), name: `${name}_asf_reduce` }).apply(cat) as tf.SymbolicTensor;
    const weights = tf.layers
      .conv2d({ filters: AUGFPN_RATIOS.length, kernelSize: 3, padding: 'same', activation: 'sigmoid', kernelInitializer: fpnInit(seed), name: `${name}_asf_weights` })
      .apply(reduce) as tf.SymbolicTensor;
    const m6 = new SpatialWeightedSum({ name: `${name}_asf_sum` }).apply([weights, ...contexts]) as tf.SymbolicTensor;
    return tf.layers.add({ name: `${name}_rfa_add` }).apply([top, m6]) as tf.SymbolicTensor;
  };
  const outputs = fpnLevels('augFpnNeck', features, options, augment);
  return [...outputs, lastLevelMaxPool(outputs[outputs.length - 1], `${name}_pool`)];
}
