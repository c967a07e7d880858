import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createFasterRcnn } from '../../../src/models/detectors/index';
import { buildHead, buildRoiHead, HEADS, ROI_HEADS } from '../../../src/models/heads/index';
import { listDetectors } from '../../../src/models/detectors/index';
import { buildBackbone } from '../../../src/models/backbones/index';

// The zoo's ResNet-18 at 1/16 width (4-8-16-32 channels): the real backbone contract (C2..C5), small enough for the CPU backend.
const backbone = () => buildBackbone('resnet18', { inputShape: [64, 64, 1], widthMultiplier: 1 / 16, features: true, seed: 2 });

// Faster R-CNN's assembly and its detect() contract (the training itself is in faster-rcnn-train.test.ts).

const small = () =>
  createFasterRcnn({
    backbone: backbone(),
    numClasses: 3,
    classNames: ['a', 'b', 'c'],
    neckChannels: 8,
    rpn: { preNmsTopNTest: 100, postNmsTopNTest: 50, preNmsTopNTrain: 100, postNmsTopNTrain: 50 },
    roi: { batchSizePerImage: 32, hidden: 16 },
  });

describe('createFasterRcnn', () => {
  it('builds backbone + FPN + RPN head in one model, anchors 3 scales x 3 ratios per location of P2..P6', () => {
    // tfjs-layers caches a few scalars on first use: build once before taking the baseline.
    small().dispose();
    const before = tf.memory().numTensors;
    const det = small();
    // 64 px input: P2..P6 are 16, 8, 4, 2, 1 cells a side; 9 anchors each: 9·(256 + 64 + 16 + 4 + 1) = 3069.
    expect(det.anchorsPerLevel).toEqual([2304, 576, 144, 36, 9]);
    expect(det.anchors.shape).toEqual([3069, 4]);
    expect(det.strides).toEqual([4, 8, 16, 32, 64]);
    // Default sizes 2·stride·2^(0, 1/3, 2/3): P2 → 8, 10, 13; the first cell's first anchor (ratio 0.5) is 11.3 x 5.7 → rounded.
    expect(Array.from(det.anchors.dataSync().subarray(0, 4))).toEqual([-6, -3, 6, 3]);
    // Body outputs: P2..P5 for RoIs, then objectness and deltas of the 5 levels.
    expect(det.body.outputs.length).toBe(4 + 5 + 5);
    expect(det.boxHead.outputs.map((o) => o.shape)).toEqual([[null, 4], [null, 16]]);
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  it('gives a finite loss whose gradient reaches every trainable weight', () => {
    const det = small();
    const before = tf.memory().numTensors;
    const images = tf.tidy(() => tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3)) as tf.Tensor4D;
    const batch = { images, boxes: [[[10, 10, 30, 34]], [[5, 40, 25, 60], [40, 4, 60, 20]]], labels: [[0], [1, 2]] };
    const { value, grads } = tf.variableGrads(() => det.trainStep(batch).loss, det.variables);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const names = det.variables.map((v) => v.name);
    for (const n of names) expect(grads[n], n).toBeDefined();
    tf.dispose([value, images, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
  });
  it('detect returns [{box, score, classId, label}] inside the image, best first, and frees its tensors', async () => {
    const det = small();
    const image = tf.tidy(() => tf.randomUniform([64, 64, 1], 0, 1, 'float32', 4)) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const out = await det.detect(image, { scoreThreshold: 0, maxDetections: 20 });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThanOrEqual(20);
    for (let i = 0; i < out.length; i++) {
      const { box, score, classId, label } = out[i];
      expect(box.length).toBe(4);
      expect(box[0]).toBeGreaterThanOrEqual(0);
      expect(box[2]).toBeLessThanOrEqual(64);
      expect(box[2]).toBeGreaterThan(box[0]);
      expect(['a', 'b', 'c'][classId]).toBe(label);
      if (i > 0) expect(score).toBeLessThanOrEqual(out[i - 1].score);
    }
    // A scene works too: the same pixels give the same detections.
    const scene = { width: 64, height: 64, channels: 1, image: image.dataSync() as Float32Array };
    expect(await det.detect(scene, { scoreThreshold: 0, maxDetections: 20 })).toEqual(out);
    image.dispose();
    det.dispose();
    await expect(det.detect(scene)).rejects.toThrow(/detect: this detector was disposed/);
  });
  it('names bad input: image size, channels, values outside 0..1, thresholds, ratios, too many proposals', async () => {
    const det = small();
    const wrong = tf.zeros([32, 32, 1]) as tf.Tensor3D;
    const rgb = tf.zeros([64, 64, 3]) as tf.Tensor3D;
    const bright = tf.fill([64, 64, 1], 2) as tf.Tensor3D;
    await expect(det.detect(wrong)).rejects.toThrow(/detect: 'image' must be a \[64, 64, 1\] tensor of values in 0..1 or a 64x64 scene with 1 channel, got shape \[32,32,1\]/);
    await expect(det.detect(rgb)).rejects.toThrow(/'image' must be a \[64, 64, 1\] tensor/);
    await expect(det.detect(bright)).rejects.toThrow(/'image' must be .* got 2 at flat index 0/);
    const ok = tf.zeros([64, 64, 1]) as tf.Tensor3D;
    await expect(det.detect(ok, { scoreThreshold: 1.5 })).rejects.toThrow(/detect: 'scoreThreshold' must be a number in \[0, 1\], got 1.5/);
    tf.dispose([wrong, rgb, bright, ok]);
    det.dispose();
    const before = tf.memory().numTensors;
    expect(() => createFasterRcnn({ backbone: backbone(), numClasses: 3, aspectRatios: [1, 0] })).toThrow(/FasterRcnn: 'aspectRatios' must be a non-empty array of positive numbers/);
    expect(() => createFasterRcnn({ backbone: backbone(), numClasses: 3, neckChannels: 8, rpn: { postNmsTopNTest: 5000 } })).toThrow(
      /FasterRcnn: 'rpn.postNmsTopNTest' must be at most the number of anchors \(3069\), got 5000/,
    );
    expect(tf.memory().numTensors).toBeGreaterThanOrEqual(before);
  });
  it('heads and detectors are chosen by name from their registries', () => {
    expect(HEADS.names()).toContain('rpn');
    expect(ROI_HEADS.names()).toContain('two-mlp');
    expect(() => buildHead('no-such-head', [], { numClasses: 1, anchorsPerLocation: 9, name: 'h' })).toThrow(/buildHead: 'name' must be one of .*'rpn'.*, got 'no-such-head'/);
    expect(() => buildRoiHead('no-such-head', { inputShape: [7, 7, 8], numClasses: 3, name: 'h' })).toThrow(/buildRoiHead: 'name' must be one of .*'two-mlp'.*, got 'no-such-head'/);
    expect(listDetectors().find((d) => d.name === 'faster-rcnn')?.kind).toBe('two-stage');
  });
});
