import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildNeck, NECKS } from '../../../src/models/necks/index';
import { expectClose } from '../../core/helpers';

// Reference: torchvision.ops.FeaturePyramidNetwork with LastLevelMaxPool (Lin et al., CVPR 2017).

describe('FPN neck', () => {
  it('lateral 1x1, nearest x2 upsampling, add, 3x3 smoothing, P6 = max-pool(1, stride 2) of the last level', () => {
    const before = tf.memory().numTensors;
    const c2 = tf.input({ shape: [4, 4, 1] });
    const c3 = tf.input({ shape: [2, 2, 1] });
    const outputs = buildNeck('fpn', [c2, c3], { channels: 1, name: 'fpn' });
    expect(outputs.map((o) => o.shape)).toEqual([[null, 4, 4, 1], [null, 2, 2, 1], [null, 1, 1, 1]]);
    expect(NECKS.get('fpn').extraLevels).toBe(1);
    const model = tf.model({ inputs: [c2, c3], outputs });
    // Identity weights: each lateral 1x1 kernel 1, each 3x3 kernel 1 at the centre only, biases 0,
    // so P3 = C3, P2 = C2 + nearest-upsampled P3, P6 = P3 at (0, 0).
    tf.tidy(() => {
      for (const i of [0, 1]) {
        model.getLayer(`fpn_lateral${i}`).setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1])]);
        model.getLayer(`fpn_P${i}`).setWeights([tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 3, 1, 1]), tf.zeros([1])]);
      }
    });
    const x2 = tf.tidy(() => tf.range(0, 16).reshape([1, 4, 4, 1]));
    const x3 = tf.tensor4d([100, 200, 300, 400], [1, 2, 2, 1]);
    const [p2, p3, p6] = model.predict([x2, x3]) as tf.Tensor[];
    // Row 0 of P2: C2 row 0 (0 1 2 3) + upsampled (100 100 200 200); row 3: (12..15) + (300 300 400 400).
    expectClose((p2.arraySync() as number[][][][])[0].map((r) => r.map((c) => c[0])), [
      [100, 101, 202, 203],
      [104, 105, 206, 207],
      [308, 309, 410, 411],
      [312, 313, 414, 415],
    ]);
    expectClose(Array.from(p3.dataSync()), [100, 200, 300, 400]);
    expect(p6.shape).toEqual([1, 1, 1, 1]);
    expectClose(Array.from(p6.dataSync()), [100]);
    tf.dispose([x2, x3, p2, p3, p6]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('is chosen by name; unknown names and mismatched sizes are named', () => {
    expect(NECKS.names()).toContain('fpn');
    const a = tf.input({ shape: [4, 4, 1] });
    const b = tf.input({ shape: [3, 3, 1] });
    expect(() => buildNeck('no-such-neck', [a], { channels: 8, name: 'n' })).toThrow(/buildNeck: 'name' must be one of .*'fpn'.*, got 'no-such-neck'/);
    expect(() => buildNeck('fpn', [a], { channels: 0, name: 'n' })).toThrow(/buildNeck: 'channels' must be a positive integer, got 0/);
    expect(() => buildNeck('fpn', [a, b], { channels: 8, name: 'n' })).toThrow(/fpnNeck: 'features' must halve in size from level to level, got 4x4 then 3x3/);
  });
});
