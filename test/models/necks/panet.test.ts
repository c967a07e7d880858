import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { NECKS, neckExtraLevels } from '../../../src/models/necks/index';
import { expectGradientsReachEveryWeight, neckModel, outputShapes, SMALL_PYRAMID } from './neck-helpers';

// Reference: Liu et al., PANet, CVPR 2018, Fig. 2(b) (N_{i+1} = conv3x3(conv3x3_s2(N_i) + P_{i+1})); convs as mmdetection PAFPN.

describe('PANet neck', () => {
  it('gives N2..N5 and a P6-like extra level, halving from level to level; tensors back to baseline', () => {
    neckModel('panet', SMALL_PYRAMID).dispose();
    const before = tf.memory().numTensors;
    const model = neckModel('panet', SMALL_PYRAMID);
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 16, 16, 8], [null, 8, 8, 8], [null, 4, 4, 8], [null, 2, 2, 8], [null, 1, 1, 8]]);
    expect(outputShapes(model, 2)).toEqual([[2, 16, 16, 8], [2, 8, 8, 8], [2, 4, 4, 8], [2, 2, 2, 8], [2, 1, 1, 8]]);
    expect(neckExtraLevels('panet', 4)).toBe(1);
    // By hand, C2..C5 with 4, 8, 16, 32 channels, 8 out: FPN laterals (4+8+16+32)·8 + 4·8 = 512,
    // FPN 3x3 convs 4·(9·8·8 + 8) = 2336; bottom-up: 3 stride-2 convs + 3 fusing convs, 6·584 = 3504. Total 6352.
    expect(model.countParams()).toBe(6352);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('N2 is P2 and N3 = conv(conv_s2(N2) + P3) in the graph', () => {
    const model = neckModel('panet', SMALL_PYRAMID);
    const inbound = (n: string) => model.getLayer(n).inboundNodes[0].inboundLayers.map((l) => l.name);
    expect(model.outputs[0].sourceLayer.name).toBe('n_P0');
    expect(inbound('n_down0_pad')).toEqual(['n_P0']);
    expect(inbound('n_panadd1')).toEqual(['n_down0', 'n_P1']);
    expect(inbound('n_pan1')).toEqual(['n_panadd1']);
    expect(inbound('n_down1_pad')).toEqual(['n_pan1']);
    expect(inbound('n_pool')).toEqual(['n_pan3']);
    // torch's padding 1, stride 2: 16 -> 8, as the bottom-up path needs.
    expect(model.getLayer('n_down0').outputShape).toEqual([null, 8, 8, 8]);
    model.dispose();
  });
  it('passes gradients to every weight', () => {
    const model = neckModel('panet', SMALL_PYRAMID);
    expectGradientsReachEveryWeight(model);
    model.dispose();
  });
  it('is registered and takes C3..C5 too', () => {
    expect(NECKS.names()).toContain('panet');
    const model = neckModel('panet', SMALL_PYRAMID.slice(1));
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 8, 8, 8], [null, 4, 4, 8], [null, 2, 2, 8], [null, 1, 1, 8]]);
    model.dispose();
  });
});
