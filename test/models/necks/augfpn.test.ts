import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AUGFPN_RATIOS } from '../../../src/models/necks/index';
import { expectGradientsReachEveryWeight, neckModel, outputShapes, SMALL_PYRAMID } from './neck-helpers';

// Reference: Guo et al., AugFPN, CVPR 2020 (residual feature augmentation), as the authors' mmdetection code
// (adaptive_pool_output_ratio [0.1, 0.2, 0.3], high_lateral_conv, high_lateral_conv_attention).

describe('AugFPN neck', () => {
  it('gives P2..P6 as FPN; parameters counted by hand; tensors back to baseline', () => {
    neckModel('augfpn', SMALL_PYRAMID).dispose();
    const before = tf.memory().numTensors;
    const model = neckModel('augfpn', SMALL_PYRAMID);
    expect(outputShapes(model, 2)).toEqual([[2, 16, 16, 8], [2, 8, 8, 8], [2, 4, 4, 8], [2, 2, 2, 8], [2, 1, 1, 8]]);
    // By hand, W = 8, C5 32 channels: FPN 512 + 2336 = 2848; three 1x1 convs C5 -> 8 (32·8 + 8 = 264 each) = 792;
    // fusion 1x1 24 -> 8 (24·8 + 8 = 200) and 3x3 8 -> 3 (9·8·3 + 3 = 219). Total 2848 + 792 + 200 + 219 = 4059.
    expect(model.countParams()).toBe(4059);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('pools C5 at ratios 0.1, 0.2, 0.3 (floor, at least 1), upsamples back and adds the fused map to the top lateral', () => {
    expect(AUGFPN_RATIOS).toEqual([0.1, 0.2, 0.3]);
    // C5 at 10x10 (a 320-px input): floor(10·r) = 1, 2, 3; on the 2x2 C5 every ratio gives 1x1.
    const model = neckModel('augfpn', [[80, 80, 1], [40, 40, 1], [20, 20, 1], [10, 10, 2]], { channels: 4 });
    expect([0, 1, 2].map((j) => model.getLayer(`n_rfa${j}_pool`).outputShape)).toEqual([[null, 1, 1, 2], [null, 2, 2, 2], [null, 3, 3, 2]]);
    expect([0, 1, 2].map((j) => model.getLayer(`n_rfa${j}_up`).outputShape)).toEqual([0, 1, 2].map(() => [null, 10, 10, 4]));
    const inbound = (n: string) => model.getLayer(n).inboundNodes[0].inboundLayers.map((l) => l.name);
    expect(inbound('n_asf_sum')).toEqual(['n_asf_weights', 'n_rfa0_up', 'n_rfa1_up', 'n_rfa2_up']);
    expect(model.getLayer('n_asf_weights').outputShape).toEqual([null, 10, 10, 3]);
    expect(inbound('n_rfa_add')).toEqual(['n_lateral3', 'n_asf_sum']);
    // The augmented top lateral is M5 for the top-down pass and P5's smoothing conv.
    expect(inbound('n_up3')).toEqual(['n_rfa_add']);
    expect(inbound('n_P3')).toEqual(['n_rfa_add']);
    model.dispose();
    const small = neckModel('augfpn', SMALL_PYRAMID);
    expect([0, 1, 2].map((j) => small.getLayer(`n_rfa${j}_pool`).outputShape)).toEqual([0, 1, 2].map(() => [null, 1, 1, 32]));
    small.dispose();
  });
  it('passes gradients to every weight', () => {
    const model = neckModel('augfpn', SMALL_PYRAMID);
    expectGradientsReachEveryWeight(model);
    model.dispose();
  });
});
