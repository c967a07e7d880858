import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../util/registry';

/**
 * Explanations: methods that say which input pixels (or tokens) a model's
 * answer rests on (saliency, Grad-CAM, attention rollout, ...).
 *
 * Contract: an explainer is one file in this folder with one job. It takes a
 * model, one input `[1, H, W, C]` and the class (or output index) to explain,
 * and resolves to a `[H', W']` map of non-negative importances, where larger
 * means more important (the caller resizes and draws it with `viz.heatmap`).
 * It frees every tensor it makes except the map it returns. An explainer joins
 * by one `EXPLAINERS.register(name, entry)` line below.
 */
export interface ExplainRequest {
  model: tf.LayersModel;
  input: tf.Tensor4D;
  /** Class index to explain; default the model's top class. */
  target?: number;
}

export interface ExplainerEntry {
  /** The paper the method follows. */
  reference: string;
  explain(request: ExplainRequest): Promise<tf.Tensor2D>;
}

export const EXPLAINERS = createRegistry<ExplainerEntry>('explain', 'method');

/** Runs the explainer registered as `method`. */
export function explain(method: string, request: ExplainRequest): Promise<tf.Tensor2D> {
  return EXPLAINERS.get(method).explain(request);
}
