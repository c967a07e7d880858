import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';

/**
 * Necks: blocks between a backbone and a head that mix the backbone's stage
 * maps across scales (FPN, PAN, BiFPN).
 *
 * Contract: a neck is a functional builder over tf.SymbolicTensors. It takes
 * the stage maps `[C2, C3, C4, C5]` (finest first, strides 4..32) and returns
 * the pyramid levels it feeds the head, finest first, each with `channels`
 * channels, so any head can sit on any neck. One file per neck in this folder,
 * one `NECKS.register(...)` line below; nothing else to edit.
 */
export interface NeckOptions {
  channels: number;
  name: string;
}

export interface NeckEntry {
  /** The paper the neck follows. */
  reference: string;
  build(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[];
}

export const NECKS = createRegistry<NeckEntry>('buildNeck', 'name');

/** Applies the neck registered as `name` to a backbone's stage maps. */
export function buildNeck(name: string, features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  return NECKS.get(name).build(features, options);
}
