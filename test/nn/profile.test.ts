import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { profile } from '../../src/nn';

// Hand counts follow torchvision's convention (pytorch/vision PR #6936): one
// multiply-add of a conv/linear/matmul is one op; bias adds, norms and
// activations are not counted.
describe('profile', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    // Models are disposed by each test; nothing else may stay allocated.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts a conv (stride 2, same padding) and a dense head by hand', () => {
    const x = tf.input({ shape: [8, 8, 3] });
    const c = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c' }).apply(x) as tf.SymbolicTensor;
    const f = tf.layers.flatten({ name: 'f' }).apply(c) as tf.SymbolicTensor;
    const d = tf.layers.dense({ units: 10, name: 'd' }).apply(f) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: d });
    const p = profile(m, [8, 8, 3]);
    // conv: output 4x4x4 = 64 values, each 3*3*3 = 27 MACs -> 1728; params 27*4 + 4 = 112.
    // flatten: 64 features; dense: 64*10 = 640 MACs, params 640 + 10 = 650.
    expect(p.layers.map((l) => [l.name, l.className, l.outputShape, l.params, l.macs])).toEqual([
      ['c', 'Conv2D', [1, 4, 4, 4], 112, 1728],
      ['f', 'Flatten', [1, 64], 0, 0],
      ['d', 'Dense', [1, 10], 650, 640],
    ]);
    expect(p.macs).toBe(1728 + 640);
    expect(p.params).toBe(762);
    expect(p.trainableParams).toBe(762);
    m.dispose();
  });

  it('gives the number docs/api/nn-transformer.md and the @example state', () => {
    const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same' })] });
    // 8*8 outputs x 4 filters x 3*3*3 taps; params 3*3*3*4 + 4 = 112.
    expect(profile(m, [8, 8, 3])).toMatchObject({ macs: 6912, params: 112, trainableParams: 112 });
    m.dispose();
  });

  it('counts depthwise, separable and a dense layer on a rank-3 input', () => {
    const x = tf.input({ shape: [6, 6, 4] });
    const dw = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', name: 'dw' }).apply(x) as tf.SymbolicTensor;
    const sep = tf.layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', name: 'sep' }).apply(dw) as tf.SymbolicTensor;
    const r = tf.layers.reshape({ targetShape: [16, 5], name: 'r' }).apply(sep) as tf.SymbolicTensor;
    const d = tf.layers.dense({ units: 7, useBias: false, name: 'd' }).apply(r) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: d });
    const p = profile(m, [6, 6, 4]);
    const macs = Object.fromEntries(p.layers.map((l) => [l.name, l.macs]));
    // depthwise 3x3 valid on 6x6x4, multiplier 2: output 4x4x8; each output value 9 MACs -> 16*8*9 = 1152.
    expect(macs.dw).toBe(1152);
    // separable: depthwise 3x3 same on 4x4x8 (16*8*9 = 1152) then 1x1 8->5 (16*8*5 = 640) -> 1792.
    expect(macs.sep).toBe(1792);
    // dense on [16,5] -> [16,7]: 16 rows of a 5x7 product = 560.
    expect(macs.d).toBe(560);
    // params: dw 3*3*4*2 + 8 = 80; sep 3*3*8 + 8*5 + 5 = 117; dense 5*7 = 35.
    expect(p.params).toBe(80 + 117 + 35);
    m.dispose();
  });

  it('divides a conv\'s MACs by its groups when the layer has a groups config', () => {
    // tfjs 4.22's Conv2D has no groups (the zoo's grouped convs are depthwise); a Conv2D that reports
    // groups, as Keras 3's does, stands in for one here. Its weights are an ordinary conv's, only the count is checked.
    class GroupedConv2D extends tf.layers.Layer {
      static className = 'Conv2D';
      constructor(readonly inner: tf.layers.Layer) {
        super({ name: 'grouped' });
      }
      override computeOutputShape(s: tf.Shape | tf.Shape[]) {
        return this.inner.computeOutputShape(s);
      }
      override getConfig() {
        return { ...this.inner.getConfig(), groups: 4 };
      }
    }
    const layer = new GroupedConv2D(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }));
    const x = tf.input({ shape: [5, 5, 8] });
    const m = tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
    // 5x5x8 outputs, each sees 3x3 x (8 / 4 groups) = 18 inputs: 200 * 18 = 3,600 (ungrouped: 14,400).
    expect(profile(m, [5, 5, 8]).macs).toBe(3_600);
    m.dispose();
  });

  it('counts every call of a shared layer once per call, its weights once', () => {
    const x = tf.input({ shape: [4] });
    const shared = tf.layers.dense({ units: 4, name: 'shared' });
    const y = shared.apply(shared.apply(x)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: y });
    const p = profile(m, [4]);
    // two calls of a 4x4 product: 2*16 MACs; weights 16 + 4 counted on the first call only.
    expect(p.layers.map((l) => [l.params, l.macs])).toEqual([[20, 16], [0, 16]]);
    expect(p.macs).toBe(32);
    expect(p.params).toBe(20);
    m.dispose();
    // tfjs counts a model's hold on a layer per call, so the second call's hold is released by hand.
    shared.dispose();
  });

  it('walks into a nested model and counts frozen weights as non-trainable', () => {
    const inner = tf.sequential({ name: 'inner', layers: [tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 1, name: 'pw' })] });
    inner.trainable = false;
    const x = tf.input({ shape: [5, 5, 2] });
    const y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(inner.apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const z = tf.layers.dense({ units: 2, name: 'fc' }).apply(y) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: z });
    const p = profile(m, [5, 5, 2]);
    // 1x1 conv 2->3 on 5x5: 25*3*2 = 150 MACs, params 2*3 + 3 = 9 (frozen); fc 3*2 = 6 MACs, params 8.
    expect(p.layers.map((l) => l.name)).toEqual(['inner/pw', 'gap', 'fc']);
    expect(p.macs).toBe(156);
    expect(p.params).toBe(17);
    expect(p.trainableParams).toBe(8);
    m.dispose();
  });

  it('fills in spatial sizes the model leaves open from inputShape', () => {
    const x = tf.input({ shape: [null, null, 1] });
    const y = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'valid', name: 'c' }).apply(x) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: y });
    // 10x12 input, 3x3 valid: 8x10x2 outputs of 9 MACs = 1440; at 5x5: 3x3x2x9 = 162.
    expect(profile(m, [10, 12, 1]).macs).toBe(1440);
    expect(profile(m, [5, 5, 1]).macs).toBe(162);
    m.dispose();
  });

  it('names the argument and the expected shape on bad input', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 1 })] });
    expect(() => profile(m, [4])).toThrow(/'inputShape' must match the model's input shape\(s\) \[3\]/);
    expect(() => profile(m, [])).toThrow(/'inputShape' must be a shape without the batch/);
    expect(() => profile(m, [[3], [3]])).toThrow(/must give 1 shape/);
    m.dispose();
  });
});
