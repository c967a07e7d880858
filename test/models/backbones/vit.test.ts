import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildBackbone, featureStrides, listBackbones, visionTransformer, vitAttentionModel } from '../../../src/models/backbones';
import { attentionRollout, profile } from '../../../src/nn';
import { useWasmWithKernels } from '../../backends/wasm-training/compare';
import { mnistBatches } from '../../../src/data/mnist';
import { fit } from '../../../src/train/fit';

/**
 * torchvision's numbers, from torchvision/models/vision_transformer.py (ViT_B_16_Weights /
 * ViT_B_32_Weights.IMAGENET1K_V1 meta) and the classification table of the torchvision docs:
 *   vit_b_16: num_params 86,567,656, GFLOPS 17.56;  vit_b_32: num_params 88,224,232, GFLOPS 4.41.
 * The GFLOPS come from pytorch/vision PR #6936: a TorchDispatchMode counter over aten mm, addmm, bmm and
 * convolution, one multiply-add = one op (so they are GMACs), batch 1. nn.MultiheadAttention computes
 * QK^T and AV with bmm, so torchvision's count includes the attention matrix products, and so does ours.
 * By hand for ViT-B/16 (T = 197 tokens, D = 768, 12 layers): per layer the projections 4*197*768^2
 * = 464.8M, the MLP 2*197*768*3072 = 929.6M, QK^T + AV 2*197^2*768 = 59.6M -> 1454.0M; x12 = 17.448G;
 * conv_proj 196*768*768 = 115.6M; head 0.8M -> 17.564G. Without the attention products it would be
 * 16.85G, 4% under: the 3% bound tells the two conventions apart.
 */
/** The digits size every small model here is built at. */
const DIGITS = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 };

const TORCHVISION = {
  vit_b_16: { params: 86_567_656, gmacs: 17.56 },
  vit_b_32: { params: 88_224_232, gmacs: 4.41 },
};

describe('ViT backbones', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  for (const [name, ref] of Object.entries(TORCHVISION)) {
    it(`${name}: trainable parameters equal torchvision's, MACs within 3% of its GFLOPS`, () => {
      const m = buildBackbone(name, { inputShape: [224, 224, 3], numClasses: 1000 });
      const p = profile(m, [224, 224, 3]);
      expect(p.trainableParams).toBe(ref.params);
      expect(p.params).toBe(ref.params);
      expect(Math.abs(p.macs / 1e9 - ref.gmacs) / ref.gmacs).toBeLessThan(0.03);
      expect(listBackbones().find((b) => b.name === name)?.torchvisionParams).toBe(ref.params);
      // torchvision's layout: conv_proj, class_token, pos_embedding over patches + 1, 12 blocks, encoder_ln, head.
      const tokens = name === 'vit_b_16' ? 197 : 50;
      expect(m.getLayer('pos_embedding').getWeights()[0].shape).toEqual([1, tokens, 768]);
      expect(m.layers.filter((l) => l.getClassName() === 'MultiHeadAttention').length).toBe(12);
      expect(m.outputs[0].shape).toEqual([null, 1000]);
      m.dispose();
    });
  }

  it('vit_tiny: logits [N, 10] on 28x28 digits, every knob changes the model', () => {
    const m = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 7, dim: 32, depth: 2, numHeads: 4, mlpRatio: 2, seed: 1 });
    const x = tf.zeros([3, 28, 28, 1]);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 10]);
    // patch 7: 16 tokens + class token; D 32. Params: conv_proj 7*7*32 + 32 = 1,600; class token 32; pos 17*32 = 544;
    // per block LN 2*64 + attention 4*32^2 + 4*32 = 4,224 + MLP 32*64 + 64 + 64*32 + 32 = 4,192 -> 8,544; x2 = 17,088;
    // final LN 64; head 32*10 + 10 = 330 -> 19,658.
    expect(m.countParams()).toBe(19_658);
    const p4 = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 4, dim: 32, depth: 2, numHeads: 4, mlpRatio: 2 });
    // patch 4: 49 + 1 tokens.
    expect(p4.getLayer('pos_embedding').outputShape).toEqual([null, 50, 32]);
    // features: the 16 patch tokens of the last layer back on their 4x4 grid, one map at stride 7 (ViTDet's single map).
    const features = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 7, dim: 32, depth: 1, numHeads: 2, features: true });
    expect(features.outputs[0].shape).toEqual([null, 4, 4, 32]);
    expect(features.outputNames[0]!.split('/')[0]).toBe('S7');
    expect(featureStrides(features)).toEqual([7]);
    const g4 = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 4, dim: 32, depth: 1, numHeads: 2, features: true });
    expect(g4.outputs[0].shape).toEqual([null, 7, 7, 32]);
    expect(g4.outputNames[0]!.split('/')[0]).toBe('C2');
    // The grid cell (r, c) is patch token 1 + 4r + c of the encoder's last LayerNorm (the class token, 0, dropped).
    const tokens = tf.model({ inputs: features.inputs, outputs: features.getLayer('encoder_ln').output as tf.SymbolicTensor });
    const grid = features.predict(x) as tf.Tensor;
    const seq = tokens.predict(x) as tf.Tensor;
    const cell = tf.tidy(() => grid.slice([1, 2, 3, 0], [1, 1, 1, 32]).reshape([32]));
    const token = tf.tidy(() => seq.slice([1, 1 + 4 * 2 + 3, 0], [1, 1, 32]).reshape([32]));
    expect(Array.from(cell.dataSync())).toEqual(Array.from(token.dataSync()));
    tf.dispose([x, y, grid, seq, cell, token]);
    [m, p4, features, g4].forEach((mm) => mm.dispose());
  });

  it('vit_hybrid_tiny: a conv-BN-ReLU stem to a 7x7 grid, then 1x1 tokens', () => {
    const m = buildBackbone('vit_hybrid_tiny', { ...DIGITS, dim: 32, depth: 1, numHeads: 2, stemChannels: [8, 16] });
    expect(m.getLayer('conv_last').outputShape).toEqual([null, 49, 32]);
    const x = tf.zeros([2, 28, 28, 1]);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    // Two stride-2 stem convs: its feature map is the 7x7 token grid at stride 4, C2.
    const f = buildBackbone('vit_hybrid_tiny', { ...DIGITS, dim: 32, depth: 1, numHeads: 2, stemChannels: [8, 16], features: true });
    expect(f.outputs[0].shape).toEqual([null, 7, 7, 32]);
    expect(featureStrides(f)).toEqual([4]);
    tf.dispose([x, y]);
    m.dispose();
    f.dispose();
  });

  it('exposes every block\'s attention for rollout', () => {
    const m = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 7, dim: 16, depth: 3, numHeads: 2, seed: 2 });
    const am = vitAttentionModel(m);
    const x = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3);
    const [logits, ...attn] = am.predict(x) as tf.Tensor[];
    expect(logits.shape).toEqual([1, 10]);
    expect(attn.map((a) => a.shape)).toEqual([[1, 2, 17, 17], [1, 2, 17, 17], [1, 2, 17, 17]]);
    const r = attentionRollout(attn);
    expect(r.shape).toEqual([1, 17, 17]);
    const rowSum = tf.tidy(() => tf.sum(r, -1).dataSync());
    rowSum.forEach((s) => expect(s).toBeCloseTo(1, 5));
    tf.dispose([x, logits, ...attn, r]);
    // am shares m's layers: disposing m frees the weights.
    m.dispose();
  });

  it('saves and loads (every custom layer registered) with the same logits', async () => {
    const m = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 7, dim: 16, depth: 1, numHeads: 2, positionEmbedding: 'sinusoidal', seed: 4 });
    // The head starts at zero (torchvision); give it weights so the logits differ per input.
    const head = m.getLayer('head');
    const hw = head.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.1, 'float32', 10 + i));
    head.setWeights(hw);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5);
    const a = m.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([...hw, x, a, b]);
    m.dispose();
    loaded.dispose();
  });

  it('names the argument and the allowed values on bad input', () => {
    expect(() => buildBackbone('vit_tiny', { ...DIGITS, patchSize: 5 })).toThrow(/vit_tiny: 'patchSize' must be a divisor of the image size 28x28 \(allowed: 1, 2, 4, 7, 14, 28\), got 5/);
    expect(() => buildBackbone('vit_tiny', { ...DIGITS, dim: 30, numHeads: 4 })).toThrow(/vit_tiny: 'numHeads' must be a divisor of dim 30 \(allowed: 1, 2, 3, 5, 6, 10, 15, 30\), got 4/);
    expect(() => buildBackbone('vit_b_16', { inputShape: [200, 200, 3], numClasses: 1000 })).toThrow(/vit_b_16: 'inputShape' must be an image whose height and width are multiples of the patch size 16 .*got \[200,200,3\]/);
    expect(() => buildBackbone('vit_tiny', { ...DIGITS, positionEmbedding: 'rope' as 'learned' })).toThrow(/'positionEmbedding' must be one of 'learned', 'sinusoidal'/);
    expect(() => buildBackbone('vit_tinyy', DIGITS)).toThrow(/buildBackbone: 'name' must be one of .*'vit_tiny'.*got 'vit_tinyy'/);
    expect(() => buildBackbone('vit_tiny', { ...DIGITS, depth: 0 })).toThrow(/'depth' must be a whole number >= 1 \(encoder layers\) for vit_tiny, got 0/);
    expect(() => buildBackbone('vit_b_16', { depth: 6 })).toThrow(/'depth' must be left out for vit_b_16/);
    expect(() => buildBackbone('vit_tiny', { ...DIGITS, patchsize: 7 } as object)).toThrow(/'options' must be made of .*patchSize.* \(no 'patchsize'\)/);
  });
});

describe('vit_tiny trains on wasm', () => {
  it('one Adam step on a batch of digits runs on the wasm backend, lowers the loss and leaks nothing', async () => {
    await useWasmWithKernels();
    try {
      const before = tf.memory().numTensors;
      const m = buildBackbone('vit_tiny', { ...DIGITS, patchSize: 7, dim: 16, depth: 1, numHeads: 2, dropout: 0.1, stochasticDepth: 0.1, seed: 6 });
      const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 7);
      const labels = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
      const y = tf.oneHot(labels, 10);
      const opt = tf.train.adam(1e-2);
      const lossFn = () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      const weightsBefore = m.trainableWeights.map((w) => w.read().dataSync().slice());
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const l = opt.minimize(lossFn, true, m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
        losses.push(l!.dataSync()[0]);
        l!.dispose();
      }
      expect(tf.getBackend()).toBe('wasm');
      // Every trainable weight moved (the gradient reached the patch embedding through all blocks).
      m.trainableWeights.forEach((w, i) => {
        const now = w.read().dataSync();
        expect(now.some((v, j) => v !== weightsBefore[i][j]), w.name).toBe(true);
      });
      expect(losses[4]).toBeLessThan(losses[0]);
      opt.dispose();
      tf.dispose([x, y, labels]);
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await tf.setBackend('cpu');
    }
  });

  for (const name of ['vit_tiny', 'vit_hybrid_tiny']) {
    it(`${name} learns real digits on wasm with the course's fit loop (64 digits, 6 epochs)`, async () => {
      await useWasmWithKernels();
      try {
        const before = tf.memory().numTensors;
        const m = buildBackbone(name, { ...DIGITS, dim: 32, depth: 2, numHeads: 2, seed: 1 });
        const losses: number[] = [];
        await fit({
          model: m,
          loss: 'softmaxCrossEntropy',
          data: async () => mnistBatches({ split: 'train', batchSize: 32, seed: 1, limit: 64 }),
          epochs: 6,
          optimizer: 'adam',
          schedule: 0.003,
          onProgress: (e) => losses.push(e.loss),
        });
        expect(tf.getBackend()).toBe('wasm');
        // The zero-initialised head (torchvision's) starts every logit at 0: loss ln 10 = 2.303 exactly.
        expect(losses[0]).toBeCloseTo(Math.log(10), 3);
        // Measured: vit_tiny ends near 1.84, the hybrid (BN in its stem, slower to start) near 1.99; a model
        // whose gradient did not reach its weights would stay at 2.30.
        expect((losses[10] + losses[11]) / 2).toBeLessThan(0.9 * losses[0]);
        m.dispose();
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        await tf.setBackend('cpu');
      }
    });
  }
});
