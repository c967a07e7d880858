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
 * The name of a stage map by its stride: `C<l>` at stride 2^l (C2..C5 at
 * strides 4..32 are the levels detectors read; the 28x28 digit nets have C0..C2
 * at strides 1, 2, 4), `S<stride>` for a stride that is no power of two (a
 * ViT with 7x7 patches gives S7).
 */
export function stageName(stride: number): string {
  const level = Math.log2(stride);
  return Number.isInteger(level) ? `C${level}` : `S${stride}`;
}

/**
 * Marks a stage end with a no-op layer named `C<level>` (stride 2^level, see
 * stageName), so a detector finds the map by name in the full model, and
 * `features: true` can return them.
 */
export function stage(x: tf.SymbolicTensor, level: number): tf.SymbolicTensor {
  return tf.layers.activation({ activation: 'linear', name: stageName(2 ** level) }).apply(x) as tf.SymbolicTensor;
}

/**
 * The stride of each output of a `features: true` model (input side / map
 * side), e.g. [4, 8, 16, 32] for resnet18 and [1, 2, 4] for resnet_tiny: what a
 * detector's `backboneStrides` should be.
 */
export function featureStrides(model: tf.LayersModel): number[] {
  const h = model.inputs[0].shape[1];
  return model.outputs.map((o) => {
    if (o.shape.length !== 4 || typeof h !== 'number' || typeof o.shape[1] !== 'number') {
      throw new Error(`featureStrides: 'model' must map an image to [N, H, W, C] maps (build it with features: true), got an output of shape [${o.shape.map((d) => d ?? 'null')}].`);
    }
    return h / o.shape[1];
  });
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
  /** false when `features: true` makes no sense (the model has no spatial map to hand on). */
  hasFeatures: boolean;
  build: (cfg: BackboneConfig) => tf.LayersModel;
}
