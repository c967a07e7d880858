import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { vggBlock } from '../../src/nn/vgg-block';
import { blockModel, checkGradients } from './grad-check';

describe('vggBlock', () => {
  it('stacks 3x3 convs with bias and halves the map; two 3x3 = 18C^2 weights against a 5x5s 25C^2', () => {
    const c = 8;
    const m = blockModel([8, 8, c], (x) => vggBlock(x, { convs: 2, filters: c, name: 'v' }));
    expect(m.outputs[0].shape).toEqual([null, 4, 4, c]);
    // two 3x3 convs C->C with bias: 2*(9C^2 + C) (torchvision's vgg: bias, no BN)
    expect(m.countParams()).toBe(2 * (9 * c * c + c));
    expect(2 * 9 * c * c).toBe(18 * c * c);
    m.dispose();
    const noPool = blockModel([8, 8, c], (x) => vggBlock(x, { convs: 3, filters: 4, pool: false, batchNorm: true, name: 'v' }));
    expect(noPool.outputs[0].shape).toEqual([null, 8, 8, 4]);
    // with BN the convs drop their bias: 9*8*4 + 2*9*4*4, BN 4 numbers per channel
    expect(noPool.countParams()).toBe(9 * 8 * 4 + 2 * 9 * 4 * 4 + 3 * 4 * 4);
    noPool.dispose();
    expect(() => vggBlock(tf.input({ shape: [8, 8, 3] }), { convs: 0, filters: 4, name: 'v' })).toThrow(/vggBlock: 'convs' must be a whole number >= 1, got 0/);
  });

  it('passes a numerical gradient check', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([6, 6, 2], (x) => vggBlock(x, { convs: 2, filters: 3, name: 'g', seed: 1 }));
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 3);
    checkGradients(m, x);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
