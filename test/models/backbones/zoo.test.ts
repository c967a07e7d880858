import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBackbone, listBackbones } from '../../../src/models/backbones/index';
import { profile } from '../../../src/nn/profile';

/**
 * The full-size zoo against torchvision's published numbers, from its
 * weights tables (torchvision/models/*.py, `meta.num_params` and `meta._ops`
 * of the IMAGENET1K_V1 weights, also on pytorch.org/vision/stable/models):
 *
 *   alexnet    61,100,840 params   0.714 GFLOPS
 *   vgg11     132,863,336          7.609
 *   vgg16     138,357,544         15.47
 *   googlenet   6,624,904          1.498   (aux heads removed, as the weights ship)
 *   resnet18   11,689,512          1.814
 *   resnet34   21,797,672          3.664
 *   resnet50   25,557,032          4.089
 *
 * torchvision's "GFLOPS" count one multiply-add as one op (PR #6936), so they
 * are GMACs; profile() counts the same ops (convolutions and dense layers).
 * Trainable parameters only: BN's running mean/var are buffers in torch.
 * Each model is built once (they allocate their weights) and disposed.
 */
const TORCHVISION: [string, number, number][] = [
  ['alexnet', 61_100_840, 0.714],
  ['vgg11', 132_863_336, 7.609],
  ['vgg16', 138_357_544, 15.47],
  ['googlenet', 6_624_904, 1.498],
  ['resnet18', 11_689_512, 1.814],
  ['resnet34', 21_797_672, 3.664],
  ['resnet50', 25_557_032, 4.089],
];

// Stage-map sizes at 224: torch's arithmetic (AlexNet 55/27/13/6, the others 56/28/14/7).
const STAGES: Record<string, number[]> = { alexnet: [55, 27, 13, 6] };

describe('full-size zoo at [224,224,3], 1000 classes', () => {
  for (const [name, params, gmacs] of TORCHVISION) {
    it(`${name}: ${params.toLocaleString('en-US')} trainable parameters (torchvision's), MACs within 3% of ${gmacs} G, stages C2-C5`, () => {
      const base = tf.memory().numTensors;
      const model = buildBackbone(name);
      const p = profile(model, [224, 224, 3]);
      expect(p.trainableParams).toBe(params);
      const rel = Math.abs(p.macs / 1e9 - gmacs) / gmacs;
      expect(rel, `${name}: ${(p.macs / 1e9).toFixed(3)} GMACs against torchvision's ${gmacs}`).toBeLessThan(0.03);
      expect(model.outputs[0].shape).toEqual([null, 1000]);
      const sides = STAGES[name] ?? [56, 28, 14, 7];
      ['C2', 'C3', 'C4', 'C5'].forEach((c, i) => {
        const shape = (model.getLayer(c).output as tf.SymbolicTensor).shape;
        expect(shape.slice(1, 3)).toEqual([sides[i], sides[i]]);
      });
      expect(listBackbones().find((b) => b.name === name)).toMatchObject({ torchvisionParams: params, torchvisionGmacs: gmacs });
      model.dispose();
      expect(tf.memory().numTensors).toBe(base);
    });
  }

  it('googlenet with auxLogits: outputs [logits, aux1, aux2] and adds exactly the two InceptionAux heads', () => {
    const model = buildBackbone('googlenet', { auxLogits: true });
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 1000], [null, 1000], [null, 1000]]);
    // torchvision InceptionAux(in, 1000): 1x1 conv in->128 (no bias) + BN 2*128, fc1 2048->1024, fc2 1024->1000.
    const aux = (cin: number) => cin * 128 + 2 * 128 + (2048 * 1024 + 1024) + (1024 * 1000 + 1000);
    expect(profile(model, [224, 224, 3]).trainableParams).toBe(6_624_904 + aux(512) + aux(528)); // 13,004,888
    expect(6_624_904 + aux(512) + aux(528)).toBe(13_004_888);
    model.dispose();
  });

  it('features: true returns the stage maps [C2..C5] at strides 4, 8, 16, 32 (small input, narrow ResNet)', () => {
    const base = tf.memory().numTensors;
    for (const [name, opts] of [['resnet18', { widthMultiplier: 0.25 }], ['resnet50', { widthMultiplier: 0.125 }], ['googlenet', {}]] as const) {
      const m = buildBackbone(name, { ...opts, inputShape: [64, 64, 3], features: true });
      expect(m.outputs.map((o) => o.shape[1])).toEqual([16, 8, 4, 2]);
      expect(m.layers.some((l) => l.name === 'fc')).toBe(false); // no head is built
      const ys = tf.tidy(() => (m.predict(tf.ones([1, 64, 64, 3])) as tf.Tensor[]).map((t) => t.shape));
      expect(ys.map((s) => s[1])).toEqual([16, 8, 4, 2]);
      m.dispose();
    }
    expect(tf.memory().numTensors).toBe(base);
  });
});
