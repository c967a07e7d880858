import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';
import { augFpnNeck } from './augfpn';
import { bifpnExtraLevels, bifpnNeck } from './bifpn';
import { fpnNeck } from './fpn';
import { nasFpnExtraLevels, nasFpnNeck } from './nas-fpn';
import { panetNeck } from './panet';

/**
 * Necks: blocks between a backbone and a head that mix the backbone's stage
 * maps across scales (FPN, PAN, BiFPN).
 *
 * Contract: a neck is a functional builder over tf.SymbolicTensors. It takes
 * the stage maps `[C2, C3, C4, C5]` (finest first, strides 4..32) and returns
 * the pyramid levels it feeds the head, finest first, each with `channels`
 * channels and each half the size of the one before (strides 4, 8, 16, ...),
 * so any head can sit on any neck. Layer names start with `options.name`.
 * `extraLevels` says how many of the last levels exist for dense heads only
 * (FPN's P6): RoI heads pool from the others; a number, or a function of the
 * number of stage maps given (BiFPN and NAS-FPN build up to five levels). One file per neck in this
 * folder, one `NECKS.register(...)` line below; nothing else to edit.
 */
export interface NeckOptions {
  channels: number;
  name: string;
  /** Seeds the initializers. */
  seed?: number;
  /** Blocks stacked by a repeatable neck (BiFPN default 3, NAS-FPN default 7); others ignore it. */
  repeats?: number;
}

export interface NeckEntry {
  /** The paper the neck follows. */
  reference: string;
  /** Trailing levels meant for dense heads only (default 0). */
  extraLevels?: number | ((inputs: number) => number);
  build(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[];
}

export const NECKS = createRegistry<NeckEntry>('buildNeck', 'name');

NECKS.register('fpn', { reference: 'Lin et al., Feature Pyramid Networks for Object Detection, CVPR 2017 (torchvision FeaturePyramidNetwork + LastLevelMaxPool)', extraLevels: 1, build: fpnNeck });
NECKS.register('panet', { reference: 'Liu et al., Path Aggregation Network for Instance Segmentation, CVPR 2018 (bottom-up path augmentation; convs as mmdetection PAFPN)', extraLevels: 1, build: panetNeck });
NECKS.register('bifpn', { reference: 'Tan, Pang and Le, EfficientDet: Scalable and Efficient Object Detection, CVPR 2020 (BiFPN as google/automl efficientdet)', extraLevels: bifpnExtraLevels, build: bifpnNeck });
NECKS.register('nas-fpn', { reference: 'Ghiasi, Lin and Le, NAS-FPN: Learning Scalable Feature Pyramid Architecture for Object Detection, CVPR 2019 (Fig. 6, as mmdetection NASFPN)', extraLevels: nasFpnExtraLevels, build: nasFpnNeck });
NECKS.register('augfpn', { reference: 'Guo et al., AugFPN: Improving Multi-scale Feature Learning for Object Detection, CVPR 2020 (residual feature augmentation, as the authors\' code)', extraLevels: 1, build: augFpnNeck });

/** How many of the levels neck `name` builds from `inputs` stage maps are for dense heads only. */
export function neckExtraLevels(name: string, inputs: number): number {
  const e = NECKS.get(name).extraLevels ?? 0;
  return typeof e === 'function' ? e(inputs) : e;
}

/**
 * Applies the neck registered as `name` to a backbone's stage maps.
 *
 * @example
 * const [p2, p3, p4, p5, p6] = buildNeck('fpn', [c2, c3, c4, c5], {channels: 64, name: 'fpn'});
 */
export function buildNeck(name: string, features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  const entry = NECKS.get(name);
  if (!Array.isArray(features) || features.length === 0) throw new Error(`buildNeck: 'features' must be a non-empty array of stage maps (C2..C5), got ${String(features)}.`);
  if (!Number.isInteger(options?.channels) || options.channels < 1) throw new Error(`buildNeck: 'channels' must be a positive integer, got ${options?.channels}.`);
  return entry.build(features, options);
}

export { fpnNeck, panetNeck, bifpnNeck, nasFpnNeck, augFpnNeck };
export { NAS_FPN_CELLS, type NasFpnCell } from './nas-fpn';
export { AUGFPN_RATIOS } from './augfpn';
export { FastNormalizedFusion, fastNormalizedWeights, GlobalPoolingAttention, ResizeTo, SpatialWeightedSum } from './layers';
