import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mnistBatches } from '../../../src/data/mnist';
import { buildBackbone, listBackbones } from '../../../src/models/backbones';
import { profile } from '../../../src/nn';
import { fit } from '../../../src/train/fit';
import { expectSameAfterRoundTrip } from '../../helpers/round-trip';
import { trainOnFastestBackend } from '../../helpers/training-backend';

trainOnFastestBackend();

function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

describe('buildSwinT (torchvision swin_t)', () => {
  it("has torchvision's trainable parameter count and its published GFLOPS within 3%", () => {
    const base = tf.memory().numTensors;
    const model = buildBackbone('swin_t', { inputShape: [224, 224, 3], numClasses: 1000 });
    // torchvision Swin_T_Weights.IMAGENET1K_V1 meta: num_params 28288354, GFLOPS 4.49
    // (pytorch/vision torchvision/models/swin_transformer.py; docs torchvision.models.swin_t).
    expect(trainableParams(model)).toBe(28_288_354);
    expect(listBackbones().find((b) => b.name === 'swin_t')?.torchvisionParams).toBe(28_288_354);
    const p = profile(model, [224, 224, 3]);
    expect(p.trainableParams).toBe(28_288_354);
    // The window attention layers count their own matmuls (countMacs); Conv2D and Dense by profile.
    const gmacs = p.macs / 1e9;
    expect(Math.abs(gmacs - 4.49) / 4.49).toBeLessThan(0.03);
    // The pyramid: stage ends C2..C5 at strides 4..32 with C, 2C, 4C, 8C channels.
    for (const [name, shape] of [['C2', [56, 56, 96]], ['C3', [28, 28, 192]], ['C4', [14, 14, 384]], ['C5', [7, 7, 768]]] as const) {
      expect((model.getLayer(name).output as tf.SymbolicTensor).shape.slice(1)).toEqual(shape);
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('buildSwinTiny (the digits Swin)', () => {
  it('gives the four stage maps with features: true', () => {
    const base = tf.memory().numTensors;
    const model = buildBackbone('swin_tiny', { inputShape: [28, 28, 1], numClasses: 10, features: true });
    const x = tf.zeros([2, 28, 28, 1]);
    const outs = model.predict(x) as tf.Tensor[];
    // 28 + 2·2 = 32, patches of 4: 8x8 with 16 channels (stride 4), then 4, 2, 1 with 32, 64, 128 (strides 8, 16, 32)
    expect(outs.map((t) => t.shape)).toEqual([[2, 8, 8, 16], [2, 4, 4, 32], [2, 2, 2, 64], [2, 1, 1, 128]]);
    tf.dispose([x, ...outs]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('trains on digits on wasm (loss falls on a few repeated batches) and round-trips through model files', async () => {
    const base = tf.memory().numTensors;
    const model = buildBackbone('swin_tiny', { inputShape: [28, 28, 1], numClasses: 10, seed: 1 });
    const losses: number[] = [];
    // 64 digits seen 6 times each: the loss must go down from about ln 10 = 2.30.
    await fit({
      model,
      loss: 'softmaxCrossEntropy',
      data: async () => mnistBatches({ split: 'train', batchSize: 32, seed: 1, limit: 64 }),
      epochs: 6,
      optimizer: 'adam',
      schedule: 0.003,
      onProgress: (e) => losses.push(e.loss),
    });
    expect(losses.length).toBe(12);
    expect(losses[0]).toBeGreaterThan(1.8);
    expect(losses.slice(-2).reduce((a, b) => a + b) / 2).toBeLessThan(0.85 * losses[0]!);
    await expectSameAfterRoundTrip(model, 3);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
