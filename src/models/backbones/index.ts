import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';
import { alexnetSpecs } from './alexnet';
import { cnnTinySpecs } from './cnn-tiny';
import { efficientnetSpecs } from './efficientnet';
import { resolveBackboneOptions } from './check-options';
import type { BackboneKnob, BackboneSpec } from './common';
import { googlenetSpecs } from './googlenet';
import { resnetSpecs } from './resnet';
import { swinSpecs } from './swin';
import { vggSpecs } from './vgg';
import { vitSpecs, type VitOptions } from './vit';

/**
 * Backbones: networks that turn an image into class scores or, with
 * `features: true`, into the stage maps a detector's neck reads.
 *
 * Contract (docs/architecture.md, "Role rooms"): one file per family in this
 * folder, each exporting builders over `src/nn` blocks that return a plain
 * `tf.LayersModel` (it trains with the course loop on every backend and saves
 * with tf.io). A CNN backbone names its stage-end layers `C2`..`C5` (strides
 * 4, 8, 16, 32) so detectors can pick them by name. A family joins the zoo by
 * registering its entries below; `listBackbones()` feeds the zoo tables, so no
 * lesson lists models by hand. Backbones output logits (train with loss
 * 'softmaxCrossEntropy', or apply tf.softmax to read probabilities).
 */
export interface BackboneOptions {
  /** [height, width, channels]; default the entry's (224x224x3 full-size, 28x28x1 tiny). */
  inputShape?: [number, number, number];
  /** Default the entry's (1000 full-size, 10 tiny). */
  numClasses?: number;
  /** GoogLeNet: add its two auxiliary classifiers (outputs [logits, aux1, aux2]). */
  auxLogits?: boolean;
  /** Scales every width (> 0), where the entry has the knob. */
  widthMultiplier?: number;
  /** Number of weighted layers, where the entry has the knob. */
  depth?: number;
  /**
   * Return the stage maps instead of logits, named by stride (`C<l>` at stride 2^l): [C2, C3, C4, C5] for
   * the full-size CNNs and Swin, [C0, C1, C2] for the 28x28 digit CNNs, one token-grid map for a ViT
   * (C4 for vit_b_16, S7 for vit_tiny's 7x7 patches). `featureStrides(model)` reads the strides.
   */
  features?: boolean;
  /** Seeds every initializer (default 0): the same seed builds the same weights. */
  seed?: number;
}

export interface BackboneInfo {
  name: string;
  family: string;
  /** The paper or torchvision builder the family follows. */
  reference: string;
  /** torchvision's trainable parameter count at 224 px and 1000 classes, where it has the model. */
  torchvisionParams?: number;
  /** torchvision's "GFLOPS" for its weights (GMACs at batch 1, 224 px), where it has the model. */
  torchvisionGmacs?: number;
  /** Knobs beyond inputShape/numClasses/features/seed the entry accepts, when it declares them. */
  knobs?: BackboneKnob[];
  /** Family options the entry accepts beyond the common ones (ViT: patchSize, dim, numHeads, ...). */
  extraOptions?: string[];
  defaultInputShape?: [number, number, number];
}

/**
 * A registry entry. `build` receives the options with inputShape and
 * numClasses filled in. Entries that declare `defaults`, `knobs`, `depths`,
 * `minInputSize` and `hasFeatures` get their options checked by
 * buildBackbone (errors name the argument and the allowed values); the
 * others receive the options as given.
 */
export interface BackboneEntry extends Omit<BackboneInfo, 'name' | 'knobs' | 'defaultInputShape' | 'extraOptions'>, Partial<Omit<BackboneSpec, 'name' | 'family' | 'reference' | 'torchvisionParams' | 'torchvisionGmacs' | 'build'>> {
  build(options: BackboneOptions & { inputShape: [number, number, number]; numClasses: number }): tf.LayersModel;
}

export const BACKBONES = createRegistry<BackboneEntry>('buildBackbone', 'name');
for (const { name, ...entry } of [...alexnetSpecs, ...vggSpecs, ...googlenetSpecs, ...resnetSpecs, ...cnnTinySpecs, ...swinSpecs, ...vitSpecs, ...efficientnetSpecs]) BACKBONES.register(name, entry);

/** The common options plus the families' own knobs (each entry accepts those it lists in `extraOptions`, e.g. ViT's patchSize). */
export type BuildBackboneOptions = BackboneOptions & Omit<VitOptions, keyof BackboneOptions>;

/**
 * Builds the backbone registered as `name`.
 *
 * @example
 * const model = buildBackbone('resnet18', { inputShape: [224, 224, 3], numClasses: 1000 });
 * const tiny = buildBackbone('resnet_tiny', { depth: 20 }); // 28x28x1 digits, 10 classes
 */
export function buildBackbone(name: string, options: BuildBackboneOptions = {}): tf.LayersModel {
  const entry = BACKBONES.get(name);
  return entry.build(resolveBackboneOptions(name, entry, options, BACKBONES.entries()));
}

/** Every registered backbone, in registration order. */
export function listBackbones(): BackboneInfo[] {
  return BACKBONES.entries().map(([name, { family, reference, torchvisionParams, torchvisionGmacs, knobs, defaults, extraOptions }]) => ({
    name,
    family,
    reference,
    ...(torchvisionParams === undefined ? {} : { torchvisionParams }),
    ...(torchvisionGmacs === undefined ? {} : { torchvisionGmacs }),
    ...(knobs === undefined ? {} : { knobs: [...knobs] }),
    ...(extraOptions === undefined ? {} : { extraOptions: [...extraOptions] }),
    ...(defaults === undefined ? {} : { defaultInputShape: [...defaults.inputShape] as [number, number, number] }),
  }));
}

// The small classifiers Lesson 1 trains live and ships weights for (whole
// models, not stage-map backbones, so they keep their own builders).
export { featureStrides, stageName } from './common';
export { mlpClassifier, smallCnnClassifier, type MlpOptions, type SmallCnnOptions } from './small-classifiers';
export {
  COMPOUND_SCALING, EFFICIENTNET_B0_STAGES, EFFICIENTNET_TINY_STAGES, EFFICIENTNET_VARIANTS, buildEfficientNetFrom, buildEfficientNetTiny, compoundScaling,
  countEfficientNet, efficientNetDefinition, efficientNetTinyDefinition, efficientNetVariantDefinition, scaleChannels, scaleDepth, scaleStages,
  type EfficientNetConfig, type EfficientNetDefinition, type EfficientNetVariant, type MbBlockDef, type MbStage,
} from './efficientnet';
export { buildSwin, buildSwinT, buildSwinTiny, SWIN_T, SWIN_TINY, type SwinConfig } from './swin';
export { visionTransformer, vitAttentionModel, type VisionTransformerConfig, type VitOptions } from './vit';
