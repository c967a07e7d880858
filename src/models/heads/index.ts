import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';
import { twoMlpBoxHead } from './box-head';
import { rpnHead } from './rpn-head';

/**
 * Heads: the per-location predictors on top of a neck's pyramid levels
 * (anchor-based box regression and classification, centre heatmaps, ...).
 *
 * Contract: a head is a functional builder over tf.SymbolicTensors. It takes
 * the pyramid levels (finest first) and returns named outputs, one tensor per
 * level for each name (e.g. `{ classLogits: [...], boxDeltas: [...] }`). A
 * head predicts raw values; decoding to boxes and the loss belong to the
 * detector that owns it, built from `src/core` (box coding, matching, losses,
 * NMS). Anchor-based heads flatten each level to `[B, H·W·A, ...]` in
 * (y, x, anchor) order, the order of core.gridAnchors. One file per head, one
 * `HEADS.register(...)` line below.
 *
 * RoI heads (two-stage detectors' second stage) are their own registry: they
 * see one pooled map per region, not the levels. Contract: `build(options)` →
 * a tf.LayersModel from `[K, ...inputShape]` to `[classLogits [K, numClasses + 1]
 * (index 0 = background), boxDeltas [K, 4·(numClasses + 1)]]`.
 */
export interface HeadOptions {
  numClasses: number;
  name: string;
  /** Anchors per location, for anchor-based heads. */
  anchorsPerLocation?: number;
  seed?: number;
}

export interface HeadEntry {
  reference: string;
  build(levels: tf.SymbolicTensor[], options: HeadOptions): Record<string, tf.SymbolicTensor[]>;
}

export const HEADS = createRegistry<HeadEntry>('buildHead', 'name');

HEADS.register('rpn', { reference: 'Ren et al., Faster R-CNN, NeurIPS 2015 (torchvision RPNHead): outputs objectness, boxDeltas', build: rpnHead });

/** Applies the head registered as `name` to a neck's levels. */
export function buildHead(name: string, levels: tf.SymbolicTensor[], options: HeadOptions): Record<string, tf.SymbolicTensor[]> {
  return HEADS.get(name).build(levels, options);
}

export interface RoiHeadOptions {
  /** `[h, w, C]` of a pooled RoI. */
  inputShape: [number, number, number];
  numClasses: number;
  /** Width of the hidden layers (torchvision: 1024). */
  hidden?: number;
  name: string;
  seed?: number;
}

export interface RoiHeadEntry {
  reference: string;
  build(options: RoiHeadOptions): tf.LayersModel;
}

export const ROI_HEADS = createRegistry<RoiHeadEntry>('buildRoiHead', 'name');

ROI_HEADS.register('two-mlp', { reference: 'Girshick, Fast R-CNN, ICCV 2015 (torchvision TwoMLPHead + FastRCNNPredictor)', build: twoMlpBoxHead });

/** Builds the RoI head registered as `name`, as its own tf.LayersModel. */
export function buildRoiHead(name: string, options: RoiHeadOptions): tf.LayersModel {
  const entry = ROI_HEADS.get(name);
  if (!Number.isInteger(options?.numClasses) || options.numClasses < 1) throw new Error(`buildRoiHead: 'numClasses' must be a positive integer, got ${options?.numClasses}.`);
  return entry.build(options);
}

export { rpnHead, twoMlpBoxHead };
