import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { NAS_FPN_CELLS, neckExtraLevels } from '../../../src/models/necks/index';
import { expectGradientsReachEveryWeight, neckModel, outputShapes, SMALL_PYRAMID } from './neck-helpers';

// Reference: Ghiasi, Lin and Le, NAS-FPN, CVPR 2019, Fig. 6; wired as mmdetection's NASFPN
// (mmdet/models/necks/nas_fpn.py) with mmcv's SumCell / GlobalPoolingCell.

// mmdetection's NASFPN forward, line by line (its comments): op(x1, x2) -> output.
const PUBLISHED = [
  'gp(p6, p4) -> p4_1',
  'sum(p4_1, p4) -> p4_2',
  'sum(p4_2, p3) -> p3_out',
  'sum(p3_out, p4_2) -> p4_out',
  'gp(p4_out, p3_out) -> p5_tmp (no out conv)',
  'sum(p5, p5_tmp) -> p5_out',
  'gp(p5_out, p4_2) -> p7_tmp (no out conv)',
  'sum(p7, p7_tmp) -> p7_out',
  'gp(p7_out, p5_out) -> p6_out',
];

describe('NAS-FPN neck', () => {
  it("its cell list is mmdetection's (Fig. 6): seven cells with an output conv, two inner global-pooling ops", () => {
    // A map stored under its level name is that level's new output ('p3' after sum_43_3 is p3_out).
    const outputs = new Set<string>();
    const label = (n: string) => (outputs.has(n) && /^p\d$/.test(n) ? `${n}_out` : n);
    const got = NAS_FPN_CELLS.map((c) => {
      const s = `${c.op}(${label(c.inputs[0])}, ${label(c.inputs[1])}) -> ${/^p\d$/.test(c.output) ? `${c.output}_out` : c.output}${c.outConv ? '' : ' (no out conv)'}`;
      outputs.add(c.output);
      return s;
    });
    expect(got).toEqual(PUBLISHED);
    expect(NAS_FPN_CELLS.filter((c) => c.outConv).length).toBe(7);
    // Each cell resizes to the level its output lives on.
    for (const c of NAS_FPN_CELLS) expect(c.output.slice(0, 2)).toBe(c.size);
  });
  it('the built graph follows the list in every stack (inputs traced through the resize layers)', () => {
    const repeats = 2;
    const model = neckModel('nas-fpn', SMALL_PYRAMID, { repeats });
    const producer = (layer: tf.layers.Layer): string => {
      // Skip the resize layers (nearest upsampling / max-pool) a merging cell puts on its inputs.
      let l = layer;
      while (/_in[12]_(up|pool)$/.test(l.name)) l = l.inboundNodes[0].inboundLayers[0] as tf.layers.Layer;
      return l.name;
    };
    const env = new Map<string, string>([['p3', 'n_lateral0_bn'], ['p4', 'n_lateral1_bn'], ['p5', 'n_lateral2_bn'], ['p6', 'n_lateral3_bn'], ['p7', 'n_extra0_pool']]);
    for (let s = 0; s < repeats; s++) {
      for (const c of NAS_FPN_CELLS) {
        const op = model.getLayer(`n_s${s}_${c.name}_${c.op}`);
        const ins = op.inboundNodes[0].inboundLayers.map((l) => producer(l as tf.layers.Layer));
        expect(ins, `stack ${s} ${c.name}`).toEqual(c.inputs.map((n) => env.get(n)));
        // Resized to the output level's size.
        expect((op.outputShape as number[]).slice(1, 3)).toEqual(model.getLayer(env.get(c.size)!).outputShape.slice(1, 3));
        env.set(c.output, c.outConv ? `n_s${s}_${c.name}_bn` : op.name);
        if (c.outConv) expect(model.getLayer(`n_s${s}_${c.name}_conv`).inboundNodes[0].inboundLayers[0].name).toBe(`n_s${s}_${c.name}_relu`);
        else expect(() => model.getLayer(`n_s${s}_${c.name}_conv`)).toThrow();
      }
    }
    expect(model.outputs.map((o) => o.sourceLayer.name)).toEqual(['p3', 'p4', 'p5', 'p6', 'p7'].map((l) => env.get(l)));
    model.dispose();
  });
  it('gives five levels from C2..C5 (one extra) or C3..C5 (two); parameters counted by hand; tensors back to baseline', () => {
    neckModel('nas-fpn', SMALL_PYRAMID, { repeats: 2 }).dispose();
    const before = tf.memory().numTensors;
    const model = neckModel('nas-fpn', SMALL_PYRAMID, { repeats: 2 });
    expect(outputShapes(model, 2)).toEqual([[2, 16, 16, 8], [2, 8, 8, 8], [2, 4, 4, 8], [2, 2, 2, 8], [2, 1, 1, 8]]);
    // By hand, W = 8, inputs 4, 8, 16, 32 channels: laterals 1x1 without bias (4+8+16+32)·8 = 480 + 4 BN·32 = 608;
    // extra 1x1 + BN: 64 + 32 = 96; each stack 7 output convs (9·8·8 + 8 = 584) + BN (32): 7·616 = 4312.
    // Total with 2 stacks: 608 + 96 + 8624 = 9328.
    expect(model.countParams()).toBe(9328);
    model.dispose();
    expect(neckExtraLevels('nas-fpn', 3)).toBe(2);
    // C3..C5 of a 128-px input (16, 8, 4 cells): P6, P7 at 2 and 1.
    const c3c5 = neckModel('nas-fpn', [[16, 16, 8], [8, 8, 16], [4, 4, 32]], { repeats: 1 });
    expect(c3c5.outputs.map((o) => o.shape)).toEqual([[null, 16, 16, 8], [null, 8, 8, 8], [null, 4, 4, 8], [null, 2, 2, 8], [null, 1, 1, 8]]);
    c3c5.dispose();
    expect(() => neckModel('nas-fpn', SMALL_PYRAMID.slice(1))).toThrow(/nasFpnNeck: 'features' must end in a map whose sides divide by 4 .*got 2x2/);
    expect(() => neckModel('nas-fpn', SMALL_PYRAMID.slice(3))).toThrow(/nasFpnNeck: 'features' must hold 2 to 5 stage maps/);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('passes gradients to every weight', () => {
    const model = neckModel('nas-fpn', SMALL_PYRAMID, { repeats: 2 });
    expectGradientsReachEveryWeight(model);
    model.dispose();
  });
  it('global-pooling op is x2 + sigmoid(mean(x2)) · x1', () => {
    const before = tf.memory().numTensors;
    const a = tf.input({ shape: [1, 2, 1] });
    const b = tf.input({ shape: [1, 2, 1] });
    const model = neckModel('nas-fpn', SMALL_PYRAMID, { repeats: 1 });
    const gp = model.getLayer('n_s0_gp_64_4_gp');
    const m = tf.model({ inputs: [a, b], outputs: gp.apply([a, b]) as tf.SymbolicTensor });
    const x1 = tf.tensor4d([1, 2], [1, 1, 2, 1]);
    const x2 = tf.tensor4d([0, 2], [1, 1, 2, 1]);
    const y = m.predict([x1, x2]) as tf.Tensor;
    // mean(x2) = 1, sigmoid(1) = 0.7310586: (0 + 0.7310586, 2 + 1.4621172).
    const v = Array.from(y.dataSync());
    expect(v[0]).toBeCloseTo(0.7310586, 6);
    expect(v[1]).toBeCloseTo(3.4621172, 6);
    tf.dispose([x1, x2, y]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
