import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inceptionModule } from '../../src/nn/inception-module';
import { blockModel, checkGradients } from './grad-check';

// torchvision googlenet.py: inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
const I3A = { c1: 64, c3reduce: 96, c3: 128, c5reduce: 16, c5: 32, poolProj: 32 };
const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);

describe('inceptionModule', () => {
  it("is torchvision's inception3a: 256 channels out, its parameter count, 3x3 in the '5x5' branch", () => {
    const m = blockModel([28, 28, 192], (x) => inceptionModule(x, { ...I3A, name: 'i3a' }));
    expect(m.outputs[0].shape).toEqual([null, 28, 28, 64 + 128 + 32 + 32]);
    // Bias-free convs + BN gamma/beta (torchvision BasicConv2d):
    // 1x1 192->64; 1x1 192->96, 3x3 96->128; 1x1 192->16, 3x3 16->32; pool, 1x1 192->32
    const convs = 192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 9 * 16 * 32 + 192 * 32;
    const bn = 2 * (64 + 96 + 128 + 16 + 32 + 32);
    expect(trainable(m)).toBe(convs + bn);
    expect(convs + bn).toBe(155_872);
    m.dispose();
    // The paper's 5x5: 25*16*32 instead of 9*16*32 weights in that conv.
    const paper = blockModel([28, 28, 192], (x) => inceptionModule(x, { ...I3A, fiveByFiveKernel: 5, name: 'p' }));
    expect(trainable(paper)).toBe(155_872 + (25 - 9) * 16 * 32);
    paper.dispose();
    expect(() => inceptionModule(tf.input({ shape: [8, 8, 4] }), { ...I3A, fiveByFiveKernel: 7 as never, name: 'x' })).toThrow(/'fiveByFiveKernel' must be 3 \(torchvision\) or 5 \(the paper\), got 7/);
    expect(() => inceptionModule(tf.input({ shape: [8, 8, 4] }), { ...I3A, poolProj: -1, name: 'x' })).toThrow(/'poolProj' must be a whole number >= 1/);
  });

  it('passes a numerical gradient check', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([4, 4, 3], (x) => inceptionModule(x, { c1: 2, c3reduce: 2, c3: 2, c5reduce: 2, c5: 2, poolProj: 2, fiveByFiveKernel: 5, name: 'g', seed: 1 }));
    const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 3);
    checkGradients(m, x);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
