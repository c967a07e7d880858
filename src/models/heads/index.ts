import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';

/**
 * Heads: the per-location predictors on top of a neck's pyramid levels
 * (anchor-based box regression and classification, centre heatmaps, ...).
 *
 * Contract: a head is a functional builder over tf.SymbolicTensors. It takes
 * the pyramid levels (finest first) and returns named outputs, one tensor per
 * level for each name (e.g. `{ classLogits: [...], boxDeltas: [...] }`). A
 * head predicts raw values; decoding to boxes and the loss belong to the
 * detector that owns it, built from `src/core` (box coding, matching, losses,
 * NMS). One file per head, one `HEADS.register(...)` line below.
 */
export interface HeadOptions {
  numClasses: number;
  name: string;
  /** Anchors per location, for anchor-based heads. */
  anchorsPerLocation?: number;
}

export interface HeadEntry {
  reference: string;
  build(levels: tf.SymbolicTensor[], options: HeadOptions): Record<string, tf.SymbolicTensor[]>;
}

export const HEADS = createRegistry<HeadEntry>('buildHead', 'name');

/** Applies the head registered as `name` to a neck's levels. */
export function buildHead(name: string, levels: tf.SymbolicTensor[], options: HeadOptions): Record<string, tf.SymbolicTensor[]> {
  return HEADS.get(name).build(levels, options);
}
