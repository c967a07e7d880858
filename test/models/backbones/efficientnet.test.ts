import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  buildBackbone, buildEfficientNetTiny, compoundScaling, countEfficientNet, efficientNetDefinition, efficientNetTinyDefinition,
  efficientNetVariantDefinition, EFFICIENTNET_B0_STAGES, EFFICIENTNET_VARIANTS, listBackbones, scaleChannels, scaleDepth, scaleStages,
  type EfficientNetVariant,
} from '../../../src/models/backbones/index';
import { profile } from '../../../src/nn/profile';

/**
 * EfficientNet against torchvision (models/efficientnet.py and its weights
 * tables, pytorch.org/vision/stable/models: EfficientNet_BN_Weights.IMAGENET1K_V1
 * num_params and GFLOPS, the latter at the weights' crop size: 224, 240, 288,
 * 300, 380, 456, 528, 600; B2's weights use 288, not the paper's 260).
 * torchvision's GFLOPS are GMACs (PR #6936), what nn.profile counts.
 */
const TORCHVISION: [EfficientNetVariant, number, number, number][] = [
  ['b0', 5_288_548, 0.39, 224],
  ['b1', 7_794_184, 0.69, 240],
  ['b2', 9_109_994, 1.09, 288],
  ['b3', 12_233_232, 1.83, 300],
  ['b4', 19_341_616, 4.39, 380],
  ['b5', 30_389_784, 10.27, 456],
  ['b6', 43_040_704, 19.07, 528],
  ['b7', 66_347_960, 37.75, 600],
];

describe('EfficientNet B0-B7 (torchvision efficientnet_b0..b7)', () => {
  it('B0 built for real: 5,288,548 trainable parameters and 0.386 GMACs at 224 (torchvision 0.39, within 3%), stages C2-C5 at 56/28/14/7', () => {
    const base = tf.memory().numTensors;
    const model = buildBackbone('efficientnet_b0', { inputShape: [224, 224, 3], numClasses: 1000 });
    const p = profile(model, [224, 224, 3]);
    expect(p.trainableParams).toBe(5_288_548);
    expect(Math.abs(p.macs / 1e9 - 0.39) / 0.39).toBeLessThan(0.03);
    // The arithmetic count agrees with the built network to the parameter and the MAC.
    const c = countEfficientNet(efficientNetVariantDefinition('b0', [224, 224, 3], 1000));
    expect(c).toEqual({ params: p.trainableParams, macs: p.macs, blocks: 16 });
    expect(['C2', 'C3', 'C4', 'C5'].map((n) => (model.getLayer(n).output as tf.SymbolicTensor).shape.slice(1))).toEqual([[56, 56, 24], [28, 28, 40], [14, 14, 112], [7, 7, 320]]);
    expect(model.outputs[0]!.shape).toEqual([null, 1000]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('B1-B7 counted from the definition equal torchvision to the parameter; MACs within 3% at the weights\' crop sizes', () => {
    for (const [v, params, gmacs, res] of TORCHVISION) {
      const c = countEfficientNet(efficientNetVariantDefinition(v, [res, res, 3], 1000));
      expect(c.params, v).toBe(params);
      expect(Math.abs(c.macs / 1e9 - gmacs) / gmacs, `${v}: ${c.macs / 1e9} GMACs`).toBeLessThan(0.03);
      expect(listBackbones().find((b) => b.name === `efficientnet_${v}`)).toMatchObject({ torchvisionParams: params, torchvisionGmacs: gmacs });
    }
  });

  it('B3 built for real matches its count (the builder and the arithmetic agree on a scaled, deeper network)', () => {
    const base = tf.memory().numTensors;
    const model = buildBackbone('efficientnet_b3', { inputShape: [300, 300, 3], numClasses: 1000 });
    const p = profile(model, [300, 300, 3]);
    expect(p.trainableParams).toBe(12_233_232);
    expect(p.macs).toBe(countEfficientNet(efficientNetVariantDefinition('b3', [300, 300, 3], 1000)).macs);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('the B0 table and compound scaling', () => {
  it('B0 table: 16 MBConv blocks, channels 32 -> 16-24-40-80-112-192-320, head 1280 (paper Table 1)', () => {
    const def = efficientNetVariantDefinition('b0', [224, 224, 3], 1000);
    expect(EFFICIENTNET_B0_STAGES.map((s) => [s.expandRatio, s.kernelSize, s.strides, s.outChannels, s.repeats])).toEqual([
      [1, 3, 1, 16, 1], [6, 3, 2, 24, 2], [6, 5, 2, 40, 2], [6, 3, 2, 80, 3], [6, 5, 1, 112, 3], [6, 5, 2, 192, 4], [6, 3, 1, 320, 1],
    ]);
    expect(def.stem.channels).toBe(32);
    expect(def.head.channels).toBe(1280);
    expect(def.blocks.length).toBe(16);
    // Stochastic depth grows 0.2 * i / 16 (torchvision): block 8 gets 0.1.
    expect(def.blocks[8]!.stochasticDepth).toBeCloseTo(0.1, 12);
  });

  it('rounding as torchvision: channels via _make_divisible(c * w, 8), repeats via ceil(n * d)', () => {
    // B2 (w 1.1): 112 * 1.1 = 123.2 -> int(127.2) // 8 * 8 = 120 (>= 0.9 * 123.2); 192 * 1.1 = 211.2 -> 208; 320 * 1.1 = 352; head 4 * 352 = 1408.
    expect(scaleChannels(112, 1.1)).toBe(120);
    expect(scaleChannels(192, 1.1)).toBe(208);
    expect(efficientNetVariantDefinition('b2', [260, 260, 3], 1000).head.channels).toBe(1408);
    // B4 (w 1.4): 16 * 1.4 = 22.4 -> 24; 24 * 1.4 = 33.6 -> int(37.6) = 37 -> 32 (>= 30.24); head 4 * 448 = 1792.
    expect(scaleChannels(16, 1.4)).toBe(24);
    expect(scaleChannels(24, 1.4)).toBe(32);
    expect(efficientNetVariantDefinition('b4', [380, 380, 3], 1000).head.channels).toBe(1792);
    // The 10% guard: 12 -> 8 would lose a third, so 16; never below 8.
    expect(scaleChannels(12, 1)).toBe(16);
    expect(scaleChannels(8, 0.5)).toBe(8);
    // B7 (d 3.1): repeats ceil([1,2,2,3,3,4,1] * 3.1) = [4,7,7,10,10,13,4], 55 blocks; widths x2: stem 64, head 2560.
    expect(scaleStages(EFFICIENTNET_B0_STAGES, 2.0, 3.1).map((s) => s.repeats)).toEqual([4, 7, 7, 10, 10, 13, 4]);
    const b7 = efficientNetVariantDefinition('b7', [600, 600, 3], 1000);
    expect([b7.stem.channels, b7.head.channels, b7.blocks.length]).toEqual([64, 2560, 55]);
    // ceil, not round: 3 * 1.1 = 3.3 -> 4 (B1's stage 4), 1 * 1.1 -> 2.
    expect([scaleDepth(3, 1.1), scaleDepth(1, 1.1), scaleDepth(2, 1.0)]).toEqual([4, 2, 2]);
  });

  it('compound rule: d = 1.2^phi, w = 1.1^phi, r = 1.15^phi, FLOPs x (1.2 * 1.1^2 * 1.15^2)^phi = 1.92^phi', () => {
    expect(compoundScaling(0)).toEqual({ phi: 0, depth: 1, width: 1, resolution: 1, flops: 1 });
    const one = compoundScaling(1);
    expect(one.flops).toBeCloseTo(1.2 * 1.21 * 1.3225, 12); // 1.920270
    const s3 = compoundScaling(3);
    expect([s3.depth, s3.width, s3.resolution]).toEqual([1.2 ** 3, 1.1 ** 3, 1.15 ** 3].map((v) => expect.closeTo(v, 12)));
    // 1.728, 1.331, 1.520875: 224 * 1.520875 = 340.7 px.
    expect(224 * s3.resolution).toBeCloseTo(340.676, 3);
  });

  it('the released B1-B7 follow the rule roughly, not exactly: at phi = 7 the rule gives d 3.58, w 1.95, r 596 px; B7 is d 3.1, w 2.0, r 600', () => {
    const r7 = compoundScaling(7);
    expect(r7.depth).toBeCloseTo(3.583, 3);
    expect(r7.width).toBeCloseTo(1.949, 3);
    expect(Math.round(224 * r7.resolution)).toBe(596);
    expect(EFFICIENTNET_VARIANTS.b7).toMatchObject({ width: 2.0, depth: 3.1, resolution: 600 });
    // Every released coefficient grows with the variant, and each released Bk sits within a factor 2 of the rule's phi = k
    // in each of d, w, r; the FLOPs ratio to B0 grows monotonically (B7 / B0 = 37.7 / 0.386 = 98, the rule's 1.9203^7 = 96.28).
    const flops = (['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'] as const).map((v) => {
      const r = EFFICIENTNET_VARIANTS[v].resolution;
      return countEfficientNet(efficientNetVariantDefinition(v, [r, r, 3], 1000)).macs;
    });
    for (let k = 1; k < 8; k++) expect(flops[k]!).toBeGreaterThan(flops[k - 1]!);
    expect(flops[7]! / flops[0]!).toBeCloseTo(97.8, 0);
    expect(compoundScaling(7).flops).toBeCloseTo(96.28, 2);
  });

  it('bad input names the argument: phi outside 0..7, a width of 0, a tiny resolution off the range', () => {
    expect(() => compoundScaling(8)).toThrow(/compoundScaling: 'phi' must be a number from 0 to 7, got 8/);
    expect(() => compoundScaling(-1)).toThrow(/'phi'/);
    expect(() => compoundScaling(NaN)).toThrow(/'phi'/);
    expect(() => efficientNetDefinition([224, 224, 3], 1000, { width: 0 })).toThrow(/'width' must be a number > 0/);
    expect(() => efficientNetTinyDefinition({ resolution: 7 })).toThrow(/'resolution' must be a whole number of pixels from 8 to 64, got 7/);
    expect(() => buildBackbone('efficientnet_b0', { widthMultiplier: 2 })).toThrow(/'widthMultiplier' must be left out for efficientnet_b0/);
  });
});

describe('the small EfficientNet for digits', () => {
  it('builds, matches its count, trains a few steps (loss falls on 16 digits-sized inputs), and frees its tensors', async () => {
    const base = tf.memory().numTensors;
    const model = buildEfficientNetTiny({ width: 1, depth: 1, resolution: 16, seed: 1 });
    const def = efficientNetTinyDefinition({ resolution: 16 });
    const p = profile(model, [16, 16, 1]);
    expect(p.trainableParams).toBe(countEfficientNet(def).params);
    expect(p.macs).toBe(countEfficientNet(def).macs);
    // 16 -> 16 (stem, stage 1) -> 8 -> 4 -> 2.
    expect(def.blocks.map((b) => b.outSize[0])).toEqual([16, 8, 4, 2]);
    const xs = tf.tidy(() => tf.randomUniform([16, 16, 16, 1], 0, 1, 'float32', 3));
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 10));
    const opt = tf.train.adam(0.01);
    const loss = () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 15; i++) opt.minimize(loss, true)?.dispose();
    const last = tf.tidy(() => loss().dataSync()[0]!);
    expect(last).toBeLessThan(first);
    opt.dispose();
    tf.dispose([xs, ys]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('width and depth scale the tiny table the same way (w 2: 16 -> 32 stem; d 2: 8 blocks); features: C0..C3', () => {
    const def = efficientNetTinyDefinition({ width: 2, depth: 2, resolution: 28 });
    expect([def.stem.channels, def.blocks.length, def.head.channels]).toEqual([32, 8, 320]);
    const base = tf.memory().numTensors;
    const m = buildBackbone('efficientnet_tiny', { features: true });
    expect(m.outputs.map((o) => o.shape.slice(1))).toEqual([[28, 28, 8], [14, 14, 16], [7, 7, 24], [4, 4, 40]]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
