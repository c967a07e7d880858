import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FastNormalizedFusion, fastNormalizedWeights, neckExtraLevels } from '../../../src/models/necks/index';
import { expectClose } from '../../core/helpers';
import { expectGradientsReachEveryWeight, neckModel, outputShapes, SMALL_PYRAMID } from './neck-helpers';

// Reference: Tan, Pang and Le, EfficientDet, CVPR 2020 (Fig. 2(d), fast normalised fusion, eq. 3), as google/automl's efficientdet.

describe('BiFPN neck', () => {
  it('C2..C5 give five levels (P6 by resample + max-pool), C3..C5 give P3..P7; tensors back to baseline', () => {
    neckModel('bifpn', SMALL_PYRAMID, { repeats: 2 }).dispose();
    const before = tf.memory().numTensors;
    const model = neckModel('bifpn', SMALL_PYRAMID, { repeats: 2 });
    expect(outputShapes(model, 2)).toEqual([[2, 16, 16, 8], [2, 8, 8, 8], [2, 4, 4, 8], [2, 2, 2, 8], [2, 1, 1, 8]]);
    // By hand, W = 8, inputs 4, 8, 16, 32 channels, 2 blocks. A node: fusion (k weights) + separable conv
    // (9·8 depthwise + 8·8 pointwise + 8 bias = 144) + BN (4·8 = 32): 176 + k. A resample 1x1 conv + BN from c
    // channels: 8c + 8 + 32 (C2: 72, C4: 168, C5: 296; C3 has 8 channels, none).
    // P6: resample C5 = 296. Block 0: td3, td2, td1 (k = 2): 3·178; out0 (k = 2) 178; out1..out3 (k = 3) 3·179;
    // out4 (k = 2) 178 = 1427, plus resamples on edges td3 (C5), td2 (C4), out0 (C2), out2 (C4), out3 (C5) = 1000.
    // Block 1: 1427 (every input already 8 channels). Total 296 + 2427 + 1427 = 4150.
    expect(model.countParams()).toBe(4150);
    model.dispose();
    const c3c5 = neckModel('bifpn', SMALL_PYRAMID.slice(1), { repeats: 1 });
    expect(c3c5.outputs.map((o) => o.shape)).toEqual([[null, 8, 8, 8], [null, 4, 4, 8], [null, 2, 2, 8], [null, 1, 1, 8], [null, 1, 1, 8]]);
    // C3..C5 at 8, 4, 2 cells: P6 = 1, P7 = max-pool 3x3 stride 2 'same' of 1x1 = 1x1.
    expect(neckExtraLevels('bifpn', 3)).toBe(2);
    c3c5.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('wires the simplified bidirectional graph: top and bottom nodes with one input removed, same-level skip edges', () => {
    const model = neckModel('bifpn', SMALL_PYRAMID, { repeats: 2 });
    const inbound = (n: string) => model.getLayer(n).inboundNodes[0].inboundLayers.map((l) => l.name);
    // No top-down node at the top level; td3 fuses resampled C5 with upsampled P6.
    expect(() => model.getLayer('n_b0_td4_fuse')).toThrow();
    expect(inbound('n_b0_td3_fuse')).toEqual(['n_b0_td3_in_bn', 'n_b0_td3_up']);
    expect(inbound('n_b0_td3_up')).toEqual(['n_p4_pool']);
    // Bottom node: the top-down node at level 0 is the output (two inputs).
    expect(() => model.getLayer('n_b0_td0_fuse')).toThrow();
    expect(inbound('n_b0_out0_fuse')).toEqual(['n_b0_out0_in_bn', 'n_b0_out0_up']);
    expect(inbound('n_b0_out0_up')).toEqual(['n_b0_td1_bn']);
    // Middle output nodes: same-level input (skip edge), the top-down node, the output below down-sampled.
    expect(inbound('n_b1_out2_fuse')).toEqual(['n_b0_out2_bn', 'n_b1_td2_bn', 'n_b1_out2_down']);
    expect(inbound('n_b1_out2_down')).toEqual(['n_b1_out1_bn']);
    // Top output node: same-level input and the level below only.
    expect(inbound('n_b1_out4_fuse')).toEqual(['n_b0_out4_bn', 'n_b1_out4_down']);
    // Swish before the separable conv, BN after it.
    expect(inbound('n_b1_out2_conv')).toEqual(['n_b1_out2_act']);
    expect(inbound('n_b1_out2_bn')).toEqual(['n_b1_out2_conv']);
    model.dispose();
  });
  it('fast normalised fusion: weights non-negative and summing to 1 within eps, even with negative raw weights', () => {
    const before = tf.memory().numTensors;
    // Raw (-1, 2, 0.5): relu -> (0, 2, 0.5), sum 2.5, divided by 2.5 + 1e-4: (0, 0.79997, 0.19999).
    const rawWeights = tf.tensor1d([-1, 2, 0.5]);
    const w = fastNormalizedWeights(rawWeights);
    expectClose(Array.from(w.dataSync()), [0, 2 / 2.5001, 0.5 / 2.5001], 1e-6);
    tf.dispose([w, rawWeights]);
    const a = tf.input({ shape: [2, 2, 1] });
    const b = tf.input({ shape: [2, 2, 1] });
    const c = tf.input({ shape: [2, 2, 1] });
    const fuse = new FastNormalizedFusion({ name: 'fuse' });
    const model = tf.model({ inputs: [a, b, c], outputs: fuse.apply([a, b, c]) as tf.SymbolicTensor });
    for (const raw of [[1, 1, 1], [-1, 2, 0.5], [-3, -0.1, 7], [0.3, -2, 1e-3]]) {
      tf.tidy(() => fuse.setWeights([tf.tensor1d(raw)]));
      const n = fuse.normalizedWeights();
      const v = Array.from(n.dataSync());
      n.dispose();
      for (const x of v) expect(x).toBeGreaterThanOrEqual(0);
      const s = v.reduce((p, q) => p + q, 0);
      expect(Math.abs(s - 1)).toBeLessThan(1e-3);
    }
    // Raw (-1, 2, 0.5) on constant maps 1, 10, 100: (2·10 + 0.5·100) / 2.5001 = 27.99888.
    tf.tidy(() => fuse.setWeights([tf.tensor1d([-1, 2, 0.5])]));
    const xs = [1, 10, 100].map((v) => tf.fill([1, 2, 2, 1], v));
    const y = model.predict(xs) as tf.Tensor;
    expectClose(Array.from(y.dataSync()), [70 / 2.5001, 70 / 2.5001, 70 / 2.5001, 70 / 2.5001]);
    // After the weights go negative by gradient descent, they stay a non-negative, normalised mix.
    const opt = tf.train.sgd(1);
    const target = tf.fill([1, 2, 2, 1], 100);
    for (let i = 0; i < 5; i++) opt.minimize(() => tf.mean(tf.square(tf.sub(model.apply(xs) as tf.Tensor, target))) as tf.Scalar);
    const raw = fuse.getWeights()[0].dataSync();
    expect(Math.min(...raw)).toBeLessThan(0);
    const n = fuse.normalizedWeights();
    const v = Array.from(n.dataSync());
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(v.reduce((p, q) => p + q, 0) - 1)).toBeLessThan(1e-3);
    tf.dispose([n, y, target, ...xs]);
    opt.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('passes gradients to every weight (fusion weights, separable convs, BN, resamples)', () => {
    const model = neckModel('bifpn', SMALL_PYRAMID, { repeats: 2 });
    expectGradientsReachEveryWeight(model);
    model.dispose();
  });
  it('names bad repeats', () => {
    expect(() => neckModel('bifpn', SMALL_PYRAMID, { repeats: 0 })).toThrow(/bifpnNeck: 'repeats' must be a positive integer, got 0/);
  });
});
