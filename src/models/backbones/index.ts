import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';

/**
 * Backbones: networks that turn an image into class scores or, with
 * `features: true`, into the stage maps a detector's neck reads.
 *
 * Contract (docs/architecture.md, "Role rooms"): one file per family in this
 * folder, each exporting builders over `src/nn` blocks that return a plain
 * `tf.LayersModel` (it trains with the course loop on every backend and saves
 * with tf.io). A CNN backbone names its stage-end layers `C2`..`C5` (strides
 * 4, 8, 16, 32) so detectors can pick them by name. A family joins the zoo by
 * one `BACKBONES.register(...)` line below; `listBackbones()` feeds the zoo
 * tables, so no lesson lists models by hand.
 */
export interface BackboneOptions {
  inputShape: [number, number, number];
  numClasses: number;
  auxLogits?: boolean;
  widthMultiplier?: number;
  depth?: number;
  /** Return the stage maps [C2, C3, C4, C5] instead of logits. */
  features?: boolean;
  seed?: number;
}

export interface BackboneInfo {
  name: string;
  family: string;
  /** The paper or torchvision builder the family follows. */
  reference: string;
  /** torchvision's trainable parameter count at 224 px and 1000 classes, where it has the model. */
  torchvisionParams?: number;
}

export interface BackboneEntry extends Omit<BackboneInfo, 'name'> {
  build(options: BackboneOptions): tf.LayersModel;
}

export const BACKBONES = createRegistry<BackboneEntry>('buildBackbone', 'name');

/**
 * Builds the backbone registered as `name`.
 *
 * @example
 * const model = buildBackbone('resnet18', { inputShape: [224, 224, 3], numClasses: 1000 });
 */
export function buildBackbone(name: string, options: BackboneOptions): tf.LayersModel {
  return BACKBONES.get(name).build(options);
}

/** Every registered backbone, in registration order. */
export function listBackbones(): BackboneInfo[] {
  return BACKBONES.entries().map(([name, { family, reference, torchvisionParams }]) => ({
    name,
    family,
    reference,
    ...(torchvisionParams === undefined ? {} : { torchvisionParams }),
  }));
}

// The small classifiers Lesson 1 trains live and ships weights for (whole
// models, not stage-map backbones, so they keep their own builders).
export { mlpClassifier, smallCnnClassifier, type MlpOptions, type SmallCnnOptions } from './small-classifiers';
