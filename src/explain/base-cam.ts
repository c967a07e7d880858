import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { findLayer, layerNames, runLayers } from './layer-graph';
import { toSpatial } from './reshape';
import { checkInput, resolveTarget, type ScoreFn } from './target';

/**
 * The one base every class-activation map shares, after pytorch-grad-cam's
 * BaseCAM: run the model to the target layer (its activations A, reshaped to
 * `[1, h, w, C]` for transformers), take the gradients of the target score
 * with respect to A, then let the method turn them into one weight per
 * channel (`camWeights`, what each method overrides) and the map
 * ReLU(Σ_c w_c A_c) (`camImage`, overridden by Eigen-CAM only).
 */
export interface CamRequest {
  model: tf.LayersModel;
  /** One image, `[1, H, W, C]`, the model's input size. */
  input: tf.Tensor4D;
  /** Class index (default the top class), or a score function of the model's output. */
  target?: number | ScoreFn;
  /** Target layer name (default `defaultCamLayer(model)`). */
  layer?: string;
}

export interface CamContext {
  model: tf.LayersModel;
  input: tf.Tensor4D;
  layer: string;
  score: ScoreFn;
  /** The target layer's output, `[1, h, w, C]`. */
  activations: tf.Tensor4D;
  /** d score / d activations, `[1, h, w, C]` (zeros for methods that need none). */
  grads: tf.Tensor4D;
}

export abstract class BaseCam {
  abstract readonly reference: string;
  /** Methods that never read `grads` skip the backward pass. */
  protected readonly usesGradients: boolean = true;

  /** One weight per channel, `[C]`. */
  protected abstract camWeights(ctx: CamContext): tf.Tensor1D;

  /** ReLU(Σ_c w_c A_c): `[h, w]`. */
  protected camImage(ctx: CamContext): tf.Tensor2D {
    const w = this.camWeights(ctx);
    const [, h, wd, c] = ctx.activations.shape;
    return tf.relu(tf.reshape(tf.matMul(tf.reshape(ctx.activations, [h * wd, c]), tf.reshape(w, [c, 1])), [h, wd]));
  }

  /** The map `[h, w]` at the target layer's resolution; every other tensor is freed. */
  async explain(request: CamRequest): Promise<tf.Tensor2D> {
    const op = this.constructor.name;
    const { model } = request;
    const input = checkInput(op, model, request.input);
    const layer = request.layer ?? defaultCamLayer(model);
    findLayer(op, model, layer);
    const { score } = resolveTarget(op, model, input, request.target);
    return tf.tidy(() => {
      const { activations, grads } = activationsAndGrads(model, input, layer, score, this.usesGradients);
      return this.camImage({ model, input, layer, score, activations, grads });
    });
  }
}

/**
 * The target layer's activations and the gradient of `score` with respect to
 * them, both reshaped to `[1, h, w, C]`: the activations are fed back in as
 * the layer's output (`runLayers`' replace), so the gradient is exact even
 * when a residual branch skips the layer. Call inside `tf.tidy`.
 */
export function activationsAndGrads(model: tf.LayersModel, input: tf.Tensor, layer: string, score: ScoreFn, withGrads = true): { activations: tf.Tensor4D; grads: tf.Tensor4D } {
  const raw = runLayers(model, input, { capture: [layer] }).captured[layer];
  if (raw.rank !== 3 && raw.rank !== 4) fail('activationsAndGrads', 'layer', `a layer with a spatial map or tokens as output (${layer} outputs [${raw.shape}])`, layer);
  const g = withGrads ? tf.grad((a: tf.Tensor) => score(runLayers(model, input, { replace: { [layer]: a } }).output))(raw) : tf.zerosLike(raw);
  return { activations: toSpatial(raw), grads: toSpatial(g) };
}

/**
 * The layer a CAM reads by default: in a ViT, the last block's first
 * LayerNorm (its patch tokens still reach the class token, as
 * pytorch-grad-cam's ViT example uses); otherwise the last layer with a
 * `[1, h, w, C]` output of at least 2 × 2 (the last convolutional stage).
 */
export function defaultCamLayer(model: tf.LayersModel): string {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  if (layers.some((l) => l.getClassName() === 'TakeToken')) {
    const norms = layers.filter((l) => /ln_1$/.test(l.name));
    if (norms.length > 0) return norms[norms.length - 1].name;
  }
  const spatial = layers.filter((l) => {
    const out = l.output;
    const s = (Array.isArray(out) ? out[0] : out)?.shape;
    return s && s.length === 4 && (s[1] as number) * (s[2] as number) >= 4;
  });
  if (spatial.length === 0) fail('defaultCamLayer', 'model', 'a model with a spatial layer; pass layer, one of: ' + layerNames(model).join(', '), model.name);
  return spatial[spatial.length - 1].name;
}
