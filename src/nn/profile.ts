import * as tf from '@tensorflow/tfjs';

/**
 * `profile(model, inputShape)`: parameters and multiply-accumulates (MACs)
 * of a tf.LayersModel at batch size 1, layer by layer.
 *
 * What counts as a MAC follows torchvision's model tables (pytorch/vision
 * PR #6936: a TorchDispatchMode counter over aten mm/addmm/bmm/convolution,
 * one multiply-add = one op, so its "GFLOPS" are GMACs): convolutions, dense
 * layers and the matrix products inside custom layers (attention's QK^T and
 * AV) are counted; normalisation, activations, pooling and additions are not.
 */

export interface LayerProfile {
  name: string;
  className: string;
  /** Output shape at batch 1 (a list of shapes for a layer with several outputs). */
  outputShape: number[] | number[][];
  /** Parameters of the layer (0 on the second and later calls of a shared layer, so the rows sum to `params`). */
  params: number;
  macs: number;
}

export interface ModelProfile {
  params: number;
  trainableParams: number;
  macs: number;
  layers: LayerProfile[];
}

/** A layer that does matrix products a Conv/Dense count cannot see implements this (shapes include the batch). */
export interface CountsMacs {
  countMacs(inputShape: number[] | number[][]): number;
}

type Shape = number[];
type ShapeOrList = Shape | Shape[];

const isList = (s: ShapeOrList): s is Shape[] => Array.isArray(s[0]);
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v.length > 1 ? v[1] : v[0]] : [v, v]);

function hasCountMacs(layer: tf.layers.Layer): layer is tf.layers.Layer & CountsMacs {
  return typeof (layer as unknown as Partial<CountsMacs>).countMacs === 'function';
}

/** Channels and spatial size of a conv input or output, whichever data format the layer uses. */
function splitConvShape(shape: Shape, channelsFirst: boolean): { channels: number; spatial: number[] } {
  return channelsFirst ? { channels: shape[1], spatial: shape.slice(2) } : { channels: shape[shape.length - 1], spatial: shape.slice(1, -1) };
}

/**
 * MACs of one call of `layer` on inputs of shape `inShape` giving `outShape`
 * (batch 1 included). Exported for tests and for layers that wrap these ones.
 */
export function layerMacs(layer: tf.layers.Layer, inShape: ShapeOrList, outShape: ShapeOrList): number {
  if (hasCountMacs(layer)) return layer.countMacs(inShape);
  const cls = layer.getClassName();
  const config = layer.getConfig() as Record<string, unknown>;
  const first = isList(inShape) ? inShape[0] : inShape;
  const out = isList(outShape) ? outShape[0] : outShape;
  const channelsFirst = config.dataFormat === 'channelsFirst';
  switch (cls) {
    case 'Dense': {
      // A dense layer on [..., in] multiplies every leading position by an in x units matrix.
      return prod(first.slice(0, -1)) * first[first.length - 1] * (config.units as number);
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D': {
      const { channels: cin } = splitConvShape(first, channelsFirst);
      const { channels: cout, spatial } = splitConvShape(out, channelsFirst);
      const k = config.kernelSize as number | number[];
      const kernel = Array.isArray(k) ? prod(k) : k ** spatial.length;
      // Grouped convolution (a `groups` config, as Keras 3 has): each output channel sees cin/groups inputs.
      const groups = typeof config.groups === 'number' ? config.groups : 1;
      return prod(spatial) * cout * kernel * (cin / groups);
    }
    case 'Conv2DTranspose': {
      // Every input pixel scatters a kh x kw x cout patch: torch counts it on the input grid.
      const { channels: cin, spatial } = splitConvShape(first, channelsFirst);
      const { channels: cout } = splitConvShape(out, channelsFirst);
      const [kh, kw] = pair(config.kernelSize as number | number[]);
      return prod(spatial) * kh * kw * cin * cout;
    }
    case 'DepthwiseConv2D': {
      const { channels: cout, spatial } = splitConvShape(out, channelsFirst);
      const [kh, kw] = pair(config.kernelSize as number | number[]);
      // cout = cin * depthMultiplier, each output channel filters one input channel.
      return prod(spatial) * cout * kh * kw;
    }
    case 'SeparableConv2D': {
      const { channels: cin } = splitConvShape(first, channelsFirst);
      const { channels: cout, spatial } = splitConvShape(out, channelsFirst);
      const [kh, kw] = pair(config.kernelSize as number | number[]);
      const mid = cin * ((config.depthMultiplier as number | undefined) ?? 1);
      // Depthwise kh x kw on every channel at the output stride, then a 1x1 from mid to cout channels.
      return prod(spatial) * (mid * kh * kw + mid * cout);
    }
    default:
      return 0;
  }
}

// tfjs-layers keeps the graph in fields its typings mark protected or omit.
interface GraphNode {
  outboundLayer: tf.layers.Layer;
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}
interface Graph {
  nodesByDepth: Record<string, GraphNode[]>;
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
}

function isModel(layer: tf.layers.Layer): layer is tf.LayersModel {
  return layer instanceof tf.LayersModel;
}

function checkInputShapes(model: tf.LayersModel, inputShape: number[] | number[][]): Shape[] {
  const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
  const expected = model.inputs.map((t) => `[${t.shape.slice(1).map((d) => d ?? 'any')}]`).join(', ');
  if (shapes.length !== model.inputs.length) {
    throw new Error(`profile: 'inputShape' must give ${model.inputs.length} shape(s) without the batch (${expected}), got ${JSON.stringify(inputShape)}.`);
  }
  return shapes.map((s, i) => {
    const want = model.inputs[i].shape.slice(1);
    const ok = Array.isArray(s) && s.length === want.length && s.every((d, j) => Number.isInteger(d) && d > 0 && (want[j] == null || want[j] === d));
    if (!ok) throw new Error(`profile: 'inputShape' must match the model's input shape(s) ${expected} (without the batch), got ${JSON.stringify(s)}.`);
    return [1, ...s];
  });
}

function walk(model: tf.LayersModel, inputs: Shape[], prefix: string, rows: LayerProfile[], seen: Set<tf.layers.Layer>): void {
  // A tf.Sequential keeps its graph in an inner functional model, made on its first build.
  const seq = model as unknown as { model?: tf.LayersModel; build: () => void };
  if (model instanceof tf.Sequential && !seq.model) seq.build();
  const inner = model instanceof tf.Sequential ? seq.model : undefined;
  const graph = (inner ?? model) as unknown as Graph;
  const shapes = new Map<number, Shape>();
  graph.inputs.forEach((t, i) => shapes.set(t.id, inputs[i]));
  const depths = Object.keys(graph.nodesByDepth).map(Number).sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of graph.nodesByDepth[depth]) {
      const layer = node.outboundLayer;
      if (layer.getClassName() === 'InputLayer') continue;
      const ins = node.inputTensors.map((t) => {
        const s = shapes.get(t.id);
        if (!s) throw new Error(`profile: no shape reached the input '${t.name}' of layer '${layer.name}'.`);
        return s;
      });
      const inShape: ShapeOrList = ins.length === 1 ? ins[0] : ins;
      const outShape = layer.computeOutputShape(inShape) as ShapeOrList;
      const outs = isList(outShape) ? outShape : [outShape];
      node.outputTensors.forEach((t, i) => shapes.set(t.id, outs[i]));
      if (isModel(layer)) {
        // A nested model shows its own layers, named through it.
        walk(layer, ins, `${prefix}${layer.name}/`, rows, seen);
        continue;
      }
      const firstCall = !seen.has(layer);
      seen.add(layer);
      rows.push({
        name: `${prefix}${layer.name}`,
        className: layer.getClassName(),
        outputShape: outShape,
        params: firstCall ? layer.countParams() : 0,
        macs: layerMacs(layer, inShape, outShape),
      });
    }
  }
}

/**
 * Parameters and MACs of `model` for one input of `inputShape` (without the
 * batch; a list of shapes for a model with several inputs).
 *
 * @example
 * const m = tf.sequential({layers: [tf.layers.conv2d({inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same'})]});
 * nn.profile(m, [8, 8, 3]); // {params: 112, trainableParams: 112, macs: 8*8*4*3*3*3 = 6912, layers: [...]}
 */
export function profile(model: tf.LayersModel, inputShape: number[] | number[][]): ModelProfile {
  if (!(model instanceof tf.LayersModel)) throw new Error(`profile: 'model' must be a tf.LayersModel, got ${String(model)}.`);
  if (!Array.isArray(inputShape) || inputShape.length === 0) {
    throw new Error(`profile: 'inputShape' must be a shape without the batch such as [224, 224, 3], got ${JSON.stringify(inputShape)}.`);
  }
  const rows: LayerProfile[] = [];
  walk(model, checkInputShapes(model, inputShape), '', rows, new Set());
  const trainableParams = model.trainableWeights.reduce((s, w) => s + prod(w.shape as number[]), 0);
  return { params: model.countParams(), trainableParams, macs: rows.reduce((s, r) => s + r.macs, 0), layers: rows };
}
