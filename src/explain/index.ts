import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../util/registry';
import type { BaseCam } from './base-cam';
import { Cam } from './cam';
import { EigenCam } from './eigen-cam';
import { GradCam } from './grad-cam';
import { GradCamPlusPlus } from './grad-cam-plus-plus';
import { guidedBackprop } from './guided-backprop';
import { occlusion } from './occlusion';
import { saliency } from './saliency';
import { ScoreCam } from './score-cam';
import type { ScoreFn } from './target';

/**
 * Explanations: methods that say which input pixels (or tokens) a model's
 * answer rests on, and tools to look at what a network has learnt.
 *
 * Contract: a map method is one file in this folder with one job. It takes a
 * model, one input `[1, H, W, C]`, the class (or a score function of the
 * output) to explain and, for the CAM family, a target layer, and resolves to
 * a `[h, w]` map where larger means more important (non-negative, except
 * occlusion's signed score drops, flagged `signed`); the caller resizes it
 * and draws it with `viz.heatmapOverlay`. It frees every tensor it makes
 * except the map it returns. The CAM family shares one base (`BaseCam`, after
 * pytorch-grad-cam's BaseCAM: forward to the layer, gradients of the score,
 * reshape for transformers) and overrides one function each. A method joins
 * by one `EXPLAINERS.register(name, entry)` line below; `listExplainers()`
 * feeds the lesson's menus.
 */
export interface ExplainRequest {
  model: tf.LayersModel;
  input: tf.Tensor4D;
  /** Class index to explain (default the model's top class), or a score function of the model's output. */
  target?: number | ScoreFn;
  /** The CAM family's target layer (default `defaultCamLayer(model)`); other methods ignore it. */
  layer?: string;
  /** Occlusion's patch side and stride in pixels. */
  patch?: number;
  stride?: number;
}

export interface ExplainerEntry {
  /** The paper the method follows. */
  reference: string;
  /** Reads a target layer (the CAM family) or works on the input (gradients, occlusion). */
  usesLayer: boolean;
  /** Negative values carry meaning (occlusion: the region argued against the class). */
  signed: boolean;
  explain(request: ExplainRequest): Promise<tf.Tensor2D>;
}

export const EXPLAINERS = createRegistry<ExplainerEntry>('explain', 'method');

const cam = (m: BaseCam): ExplainerEntry => ({ reference: m.reference, usesLayer: true, signed: false, explain: (r) => m.explain(r) });
EXPLAINERS.register('cam', cam(new Cam()));
EXPLAINERS.register('grad-cam', cam(new GradCam()));
EXPLAINERS.register('grad-cam++', cam(new GradCamPlusPlus()));
EXPLAINERS.register('score-cam', cam(new ScoreCam()));
EXPLAINERS.register('eigen-cam', cam(new EigenCam()));
EXPLAINERS.register('saliency', { reference: 'Simonyan, Vedaldi & Zisserman, Deep Inside Convolutional Networks, ICLR Workshop 2014, sec. 3.1', usesLayer: false, signed: false, explain: saliency });
EXPLAINERS.register('guided-backprop', { reference: 'Springenberg et al., Striving for Simplicity: The All Convolutional Net, ICLR Workshop 2015, sec. 3.4', usesLayer: false, signed: false, explain: guidedBackprop });
EXPLAINERS.register('occlusion', { reference: 'Zeiler & Fergus, Visualizing and Understanding Convolutional Networks, ECCV 2014, sec. 4.2', usesLayer: false, signed: true, explain: occlusion });

/** Runs the explainer registered as `method`. */
export function explain(method: string, request: ExplainRequest): Promise<tf.Tensor2D> {
  return EXPLAINERS.get(method).explain(request);
}

/** Every registered map method: name, reference, whether it reads a layer and whether its map is signed. */
export function listExplainers(): { name: string; reference: string; usesLayer: boolean; signed: boolean }[] {
  return EXPLAINERS.entries().map(([name, { reference, usesLayer, signed }]) => ({ name, reference, usesLayer, signed }));
}

export { BaseCam, activationsAndGrads, defaultCamLayer, type CamContext, type CamRequest } from './base-cam';
export { Cam, gapDenseAfter } from './cam';
export { GradCam } from './grad-cam';
export { GradCamPlusPlus } from './grad-cam-plus-plus';
export { ScoreCam } from './score-cam';
export { EigenCam } from './eigen-cam';
export { saliency, type GradientRequest } from './saliency';
export { guidedBackprop, guidedGradient } from './guided-backprop';
export { guidedRelu } from './guided-relu';
export { occlusion, type OcclusionRequest } from './occlusion';
export { inputGradient } from './input-gradient';
export { runLayers, layerNames, findLayer, type RunLayersOptions, type RunLayersResult } from './layer-graph';
export { toSpatial } from './reshape';
export { classScore, checkClass, numClassesOf, topClass, type ScoreFn } from './target';
export { layerActivations, thresholdMasks } from './activations';
export { filterWeights } from './filters';
export { maxActivatingPatches, receptiveField, type MaxPatch } from './max-patches';
export { nearestNeighbours } from './neighbours';
export { embed2d, type EmbedOptions } from './embed';
export { tsne, type TsneOptions } from './tsne';
export { classVisualisation, type ClassVisualisationOptions } from './class-visualisation';
export { randomiseTopLayers, weightedLayers } from './randomise';
export { rankCorrelation } from './rank-correlation';
export { detectorCam, type DetectionToExplain, type LevelMap, type DetectorCamMethod, type DetectorCamOptions } from './detector-cam';
export { vitRollout } from './vit';
export { forwardSteps, backwardSteps, checkAgainstTfGrad, type GraphInputs, type AutogradStep } from './autograd';
