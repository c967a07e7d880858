import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { guidedRelu } from './guided-relu';

/**
 * Runs a LayersModel layer by layer, eagerly, so an explanation can reach
 * inside it: read any layer's output (`capture`), feed a layer's output in
 * from outside (`replace`, so `tf.grad` can differentiate the score with
 * respect to it, residual branches included), swap every ReLU for the guided
 * one, and score on the logits of a model whose last layer applies softmax.
 * The walk follows the model's own graph (each layer's inbound node), so it
 * works for Sequential and functional models, and custom layers run their own
 * `call`. Call it inside `tf.tidy` or `tf.grad`: it does not free what it makes.
 */
export interface RunLayersOptions {
  /** Layer names whose (first) output to return. */
  capture?: readonly string[];
  /** Layer name → the tensor to use as that layer's output. */
  replace?: Readonly<Record<string, tf.Tensor>>;
  /**
   * 'guided': every ReLU (layer or fused activation) runs as `guidedRelu`;
   * 'identity': every ReLU passes its input through (to measure receptive fields).
   */
  relu?: 'standard' | 'guided' | 'identity';
  /** Drop a final softmax, so scores are logits (default true). */
  logits?: boolean;
}

export interface RunLayersResult {
  output: tf.Tensor;
  captured: Record<string, tf.Tensor>;
}

type Activation = { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
type WithActivation = tf.layers.Layer & { activation?: Activation | null };

/** Names of the model's layers in execution order (inputs excluded), for menus and error messages. */
export function layerNames(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
}

/** The layer called `name`; an unknown name is an error listing the model's layers. */
export function findLayer(op: string, model: tf.LayersModel, name: string): tf.layers.Layer {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer || layer.getClassName() === 'InputLayer') fail(op, 'layer', `one of the model's layers: ${layerNames(model).join(', ')}`, JSON.stringify(name));
  return layer;
}

const linear: Activation = { apply: (x) => x, getClassName: () => 'linear' };
const guided: Activation = { apply: (x) => guidedRelu(x), getClassName: () => 'guidedRelu' };

function isReluLayer(layer: tf.layers.Layer): boolean {
  const cls = layer.getClassName();
  if (cls === 'ReLU') return (layer.getConfig().maxValue ?? null) === null;
  if (cls === 'Activation') return (layer as WithActivation).activation?.getClassName() === 'relu';
  return false;
}

export function runLayers(model: tf.LayersModel, input: tf.Tensor, options: RunLayersOptions = {}): RunLayersResult {
  const op = 'runLayers';
  const capture = options.capture ?? [];
  const replace = options.replace ?? {};
  for (const name of [...capture, ...Object.keys(replace)]) findLayer(op, model, name);
  if (model.inputs.length !== 1) fail(op, 'model', 'a model with one input', `${model.inputs.length} inputs`);
  const values = new Map<number, tf.Tensor>([[model.inputs[0].id, input]]);
  const captured: Record<string, tf.Tensor> = {};
  const outputLayer = model.outputs[0].sourceLayer as WithActivation;
  const swaps: [WithActivation, Activation | null | undefined][] = [];
  const swap = (layer: WithActivation, to: Activation) => {
    swaps.push([layer, layer.activation]);
    layer.activation = to;
  };
  try {
    if ((options.logits ?? true) && outputLayer.activation?.getClassName() === 'softmax') swap(outputLayer, linear);
    const relu = options.relu === 'guided' ? guided : options.relu === 'identity' ? linear : null;
    if (relu) {
      for (const layer of model.layers as WithActivation[]) if (layer.activation?.getClassName() === 'relu' && !isReluLayer(layer)) swap(layer, relu);
    }
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      const node = layer.inboundNodes.find((n) => n.inputTensors.every((t) => values.has(t.id)));
      if (!node) fail(op, 'model', 'a graph whose layers can be run in order', `layer ${layer.name} has no ready inputs`);
      let outs: tf.Tensor[];
      if (layer.name in replace) outs = [replace[layer.name]];
      else {
        const ins = node.inputTensors.map((t) => values.get(t.id) as tf.Tensor);
        const x = ins.length === 1 ? ins[0] : ins;
        if (relu && isReluLayer(layer)) outs = [relu.apply(ins[0])];
        else {
          const y = layer.apply(x, node.callArgs ?? {}) as tf.Tensor | tf.Tensor[];
          outs = Array.isArray(y) ? y : [y];
        }
      }
      node.outputTensors.forEach((t, i) => values.set(t.id, outs[i]));
      if (capture.includes(layer.name)) captured[layer.name] = outs[0];
    }
  } finally {
    for (const [layer, act] of swaps.reverse()) layer.activation = act;
  }
  const output = values.get(model.outputs[0].id);
  if (!output) fail(op, 'model', 'a graph that reaches its output', model.name);
  return { output, captured };
}
