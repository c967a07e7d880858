import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBackbone, featureStrides, listBackbones } from '../../../src/models/backbones/index';

const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
const weighted = (m: tf.LayersModel) => m.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName()));

/**
 * Trainable parameters of He et al.'s CIFAR ResNet (6n+2) on one input
 * channel, 16-32-64 wide, 10 classes, counted by hand: every conv is 3x3
 * without bias and followed by BN (gamma + beta); the residual net has two
 * 1x1 projections (16->32, 32->64) with BN, the plain one none.
 */
function tinyParams(n: number, shortcut: boolean): number {
  const conv = (cin: number, cout: number) => 9 * cin * cout + 2 * cout;
  let p = conv(1, 16);
  for (const [cin, c] of [[16, 16], [16, 32], [32, 64]]) {
    p += conv(cin, c) + conv(c, c) + (n - 1) * 2 * conv(c, c);
    if (shortcut && cin !== c) p += cin * c + 2 * c;
  }
  return p + 64 * 10 + 10;
}

describe('resnet_tiny and plain_tiny', () => {
  it('have depth = 6n+2 weighted layers and the hand-counted parameters', () => {
    const base = tf.memory().numTensors;
    for (const depth of [8, 20, 32]) {
      const n = (depth - 2) / 6;
      const res = buildBackbone('resnet_tiny', { depth });
      const plain = buildBackbone('plain_tiny', { depth });
      expect(trainable(res)).toBe(tinyParams(n, true));
      expect(trainable(plain)).toBe(tinyParams(n, false));
      // the plain net's weighted layers are exactly the depth; the residual one adds the 2 projection shortcuts
      expect(weighted(plain).length).toBe(depth);
      expect(weighted(res).length).toBe(depth + 2);
      expect(res.outputs[0].shape).toEqual([null, 10]);
      res.dispose();
      plain.dispose();
    }
    // ResNet-20 on one channel. On CIFAR's 3 channels the stem has 9*2*16 more (272,474); the paper's
    // shortcuts are parameter-free zero padding (option A), without our two projections' 2,752:
    // 269,722, its "0.27M" (Table 6).
    expect(tinyParams(3, true)).toBe(272_186);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('start from the same weights for the same seed (the experiment compares the shortcut alone)', () => {
    const res = buildBackbone('resnet_tiny', { depth: 14, seed: 3 });
    const plain = buildBackbone('plain_tiny', { depth: 14, seed: 3 });
    let shared = 0;
    for (const l of plain.layers) {
      if (l.weights.length === 0) continue;
      const a = l.getWeights();
      const b = res.getLayer(l.name).getWeights();
      a.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(b[i].dataSync())));
      shared++;
    }
    expect(shared).toBe(14 + 13); // 13 convs and the Dense, and the 13 BNs
    const other = buildBackbone('plain_tiny', { depth: 14, seed: 4 });
    expect(Array.from(other.getLayer('stem_conv').getWeights()[0].dataSync())).not.toEqual(Array.from(plain.getLayer('stem_conv').getWeights()[0].dataSync()));
    [res, plain, other].forEach((m) => m.dispose());
  });

  it('scale widths with widthMultiplier and output logits of numClasses', () => {
    const base = tf.memory().numTensors;
    const m = buildBackbone('resnet_tiny', { depth: 8, widthMultiplier: 0.5, numClasses: 3, inputShape: [16, 16, 3] });
    expect((m.getLayer('stem_conv') as tf.layers.Layer).getWeights()[0].shape).toEqual([3, 3, 3, 8]);
    const y = tf.tidy(() => m.predict(tf.ones([2, 16, 16, 3])) as tf.Tensor);
    expect(y.shape).toEqual([2, 3]);
    y.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('cnn_tiny: three conv-BN-ReLU stages, the hand-counted parameters', () => {
    const m = buildBackbone('cnn_tiny');
    const conv = (cin: number, cout: number) => 9 * cin * cout + 2 * cout;
    expect(trainable(m)).toBe(conv(1, 32) + conv(32, 32) + conv(32, 64) + conv(64, 64) + conv(64, 128) + 128 * 10 + 10);
    expect(m.outputs[0].shape).toEqual([null, 10]);
    m.dispose();
  });
});

describe('features: true on the digit CNNs', () => {
  it('resnet_tiny, plain_tiny and cnn_tiny return their three stage maps C0, C1, C2 at strides 1, 2, 4', () => {
    const base = tf.memory().numTensors;
    // resnet_tiny / plain_tiny: stages of 16, 32, 64 channels (x width) at 28, 14, 7 px (stages 2 and 3 open with a stride-2 conv);
    // cnn_tiny: 32, 64, 128 channels, 2x2 max-pools between the stages.
    const cases: [string, Record<string, unknown>, number[]][] = [
      ['resnet_tiny', { depth: 8, widthMultiplier: 0.5 }, [8, 16, 32]],
      ['plain_tiny', { depth: 8, widthMultiplier: 0.5 }, [8, 16, 32]],
      ['cnn_tiny', { widthMultiplier: 0.25 }, [8, 16, 32]],
    ];
    for (const [name, opts, channels] of cases) {
      const m = buildBackbone(name, { ...opts, features: true, seed: 1 });
      expect(m.outputs.map((o) => o.shape), name).toEqual([[null, 28, 28, channels[0]], [null, 14, 14, channels[1]], [null, 7, 7, channels[2]]]);
      expect(m.outputNames.map((n) => n.split('/')[0])).toEqual(['C0', 'C1', 'C2']);
      expect(featureStrides(m)).toEqual([1, 2, 4]);
      // The maps are the classifier's: for the same seed the classifier's logits are its fc on the global mean of C2.
      const full = buildBackbone(name, { ...opts, seed: 1 });
      const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
      const maps = m.predict(x) as tf.Tensor[];
      expect(maps[0]!.shape).toEqual([2, 28, 28, channels[0]]);
      const viaMaps = tf.tidy(() => full.getLayer('fc').apply(tf.mean(maps[2]!, [1, 2])) as tf.Tensor);
      const logits = full.predict(x) as tf.Tensor;
      const [a, b] = [viaMaps.dataSync(), logits.dataSync()];
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 5));
      tf.dispose([x, ...maps, viaMaps, logits]);
      m.dispose();
      full.dispose();
    }
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('buildBackbone: bad input names the argument and the allowed values', () => {
  it('refuses unknown names, depths that do not fit, width 0, knobs a family lacks', () => {
    const base = tf.memory().numTensors;
    expect(() => buildBackbone('resnet19')).toThrow(/buildBackbone: 'name' must be one of 'alexnet', 'vgg11', 'vgg16', 'googlenet', 'resnet18', 'resnet34', 'resnet50', 'resnet_tiny', 'plain_tiny', 'cnn_tiny'.*got 'resnet19'/);
    expect(() => buildBackbone('resnet_tiny', { depth: 21 })).toThrow(/'depth' must be 6n \+ 2 for n = 1\.\.18 \(8, 14, 20, 26, 32.*got 21/);
    expect(() => buildBackbone('plain_tiny', { depth: 2 })).toThrow(/'depth' must be 6n \+ 2/);
    expect(() => buildBackbone('resnet_tiny', { widthMultiplier: 0 })).toThrow(/'widthMultiplier' must be a number > 0 \(1 is the standard width\), got 0/);
    expect(() => buildBackbone('resnet18', { depth: 20 })).toThrow(/'depth' must be left out for resnet18 \(backbones with it: resnet_tiny, plain_tiny, vit_tiny, vit_hybrid_tiny\)/);
    expect(() => buildBackbone('resnet_tiny', { features: 'yes' } as never)).toThrow(/'features' must be true or false, got 'yes'/);
    expect(() => buildBackbone('resnet_tiny', { inputShape: [4, 4, 1] })).toThrow(/'inputShape' must be at least 8x8 for resnet_tiny/);
    expect(() => buildBackbone('resnet_tiny', { numClasses: 0 })).toThrow(/'numClasses' must be a whole number >= 1, got 0/);
    expect(() => buildBackbone('resnet_tiny', { dept: 20 } as never)).toThrow(/no 'dept'/);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('lists every backbone with its family and reference', () => {
    const names = listBackbones().map((b) => b.name);
    expect(names).toEqual(expect.arrayContaining(['resnet18', 'resnet34', 'resnet50', 'resnet_tiny', 'plain_tiny', 'cnn_tiny']));
    const r18 = listBackbones().find((b) => b.name === 'resnet18')!;
    expect(r18.torchvisionParams).toBe(11_689_512);
    expect(r18.reference).toMatch(/He et al\. 2015/);
  });
});
