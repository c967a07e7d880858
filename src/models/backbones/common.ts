import * as tf from '@tensorflow/tfjs';

/**
 * What every backbone builder receives once the registry has checked the
 * caller's options: concrete input shape and class count, the knobs the
 * family accepts, and a seed.
 */
export interface BackboneConfig {
  inputShape: [number, number, number];
  numClasses: number;
  features: boolean;
  auxLogits: boolean;
  widthMultiplier: number;
  depth?: number;
  seed: number;
}

/** Seeds for the k-th block of a backbone: blocks use seed .. seed+9 for their layers. */
export function blockSeed(cfg: BackboneConfig, k: number): number {
  return cfg.seed * 100_000 + k * 10;
}

/**
 * Marks a stage end with a no-op layer named `C2`..`C5` (stride 4..32), so a
 * detector finds the map by name in the full model, and `features: true`
 * can return them.
 */
export function stage(x: tf.SymbolicTensor, level: 2 | 3 | 4 | 5): tf.SymbolicTensor {
  return tf.layers.activation({ activation: 'linear', name: `C${level}` }).apply(x) as tf.SymbolicTensor;
}

/** Scales a channel count by the width multiplier (at least 1 channel). */
export function width(base: number, cfg: BackboneConfig): number {
  return Math.max(1, Math.round(base * cfg.widthMultiplier));
}

/** The model to return: the stage maps when features are asked for, else the logits (plus aux logits, if any). */
export function finish(
  name: string, input: tf.SymbolicTensor, cfg: BackboneConfig, stages: tf.SymbolicTensor[], head: () => tf.SymbolicTensor | tf.SymbolicTensor[],
): tf.LayersModel {
  if (cfg.features) return tf.model({ name: `${name}_features`, inputs: input, outputs: stages });
  return tf.model({ name, inputs: input, outputs: head() });
}

/** Knobs a backbone may accept beyond inputShape, numClasses, features and seed. */
export type BackboneKnob = 'depth' | 'widthMultiplier' | 'auxLogits';

/** One registry entry: what `listBackbones()` shows and how `buildBackbone` builds it. */
export interface BackboneSpec {
  name: string;
  family: string;
  /** Paper and the code it follows, for the zoo table. */
  reference: string;
  /** torchvision's trainable parameter count at [224,224,3] / 1000 classes (its weights table), for full-size models. */
  torchvisionParams?: number;
  /** torchvision's "GFLOPS" (GMACs at batch 1, 224x224) from its weights table, for full-size models. */
  torchvisionGmacs?: number;
  defaults: { inputShape: [number, number, number]; numClasses: number };
  /** Smallest input side the architecture accepts (its stride-and-kernel chain ends at 1x1 there or above). */
  minInputSize: number;
  knobs: readonly BackboneKnob[];
  /** Allowed depths, checked by the registry; `describe` is shown in the error. */
  depths?: { check: (depth: number) => boolean; describe: string; default: number };
  /** Family options beyond the common ones the entry reads (e.g. ViT's patchSize), accepted by buildBackbone and passed to build. */
  extraOptions?: readonly string[];
  /** false when `features: true` makes no sense (no stride-4..32 stages, e.g. 28x28 digit nets). */
  hasFeatures: boolean;
  build: (cfg: BackboneConfig) => tf.LayersModel;
}
