import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { roiAlign, roiPool } from '../../../src/core/index';
import { createFastRcnn, createRcnn, roiGrids } from '../../../src/models/detectors/index';

// R-CNN (Girshick et al., CVPR 2014) and Fast R-CNN (Girshick, ICCV 2015) as built here: shapes, the multi-task
// loss on hand-made targets, and the RoIPool / RoIAlign quantisation of one hand-worked RoI (torchvision's kernels).

function zeroWeights(models: tf.LayersModel[]): void {
  for (const m of models) for (const w of m.weights) w.write(tf.zerosLike(w.read()));
}

// One 64x64 image, one digit [10, 10, 30, 30] of class 3, and three proposals (the ground truth is added to them, as torchvision does):
// - [10, 10, 30, 30]: the digit's own box, IoU 1, foreground, targets 0;
// - [12, 10, 32, 30]: IoU 18·20 / (22·20) = 0.818, foreground; targets (weights 10, 10, 5, 5):
//   dx = 10·(20 - 22)/20 = -1, dy = 0, dw = 5·log(20/20) = 0, dh = 0;
// - [40, 40, 60, 60]: IoU 0, background.
// With every weight 0 the logits are 0: cross-entropy ln(11) = 2.397895 for each RoI, whatever its label; the deltas are 0,
// so the box loss is smooth L1 (beta 1/9) of the targets summed over the foreground, over the K = 4 sampled RoIs:
// (|-1| - 0.5/9) / 4 = 0.944444 / 4 = 0.236111.
const handMade = () => ({
  images: tf.zeros([1, 64, 64, 1]) as tf.Tensor4D,
  boxes: [[[10, 10, 30, 30]]],
  labels: [[3]],
  proposals: [[[10, 10, 30, 30], [12, 10, 32, 30], [40, 40, 60, 60]]],
});

describe('R-CNN', () => {
  it('warps each region to warpSize² with context, classifies it into background + classes, and frees its tensors', async () => {
    createRcnn({ numClasses: 10 }).dispose();
    const before = tf.memory().numTensors;
    const det = createRcnn({ numClasses: 10, contextPadding: 0, warpSize: 8 });
    // A horizontal ramp: pixel (y, x) = x / 7. Warping the whole image to its own size samples the pixel centres: the image back.
    const ramp = tf.tidy(() => tf.tile(tf.linspace(0, 1, 8).reshape([1, 1, 8, 1]), [1, 8, 1, 1])) as tf.Tensor4D;
    const same = det.warp(ramp, [0, 0, 0, 8, 8]);
    expect(same.shape).toEqual([1, 8, 8, 1]);
    expect(Array.from(same.dataSync())).toEqual(Array.from(ramp.dataSync()).map((v) => expect.closeTo(v, 5) as unknown as number));
    // The left half, [0, 4) in x: 8 samples at x = 0.25, 0.75, ..., 3.75 in continuous pixels, i.e. array positions -0.25..3.25:
    // the first clamps to pixel 0 (value 0), the second is halfway 0..1/7, ...
    const left = tf.tidy(() => det.warp(ramp, [0, 0, 0, 4, 8]).dataSync().slice(0, 8));
    expect(Array.from(left).map((v) => v * 7)).toEqual([0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25].map((v) => expect.closeTo(Math.max(v, 0), 4) as unknown as number));
    tf.dispose([ramp, same]);
    det.dispose();
    const full = createRcnn({ numClasses: 10 });
    expect(full.classifier.inputs[0].shape).toEqual([null, 32, 32, 1]);
    expect(full.classifier.outputs.map((o) => o.shape)).toEqual([[null, 11], [null, 44]]);
    full.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loss on hand-made targets: classifier ln 11 = 2.397895, box 0.236111 (see above)', () => {
    const det = createRcnn({ numClasses: 10 });
    zeroWeights([det.classifier]);
    const batch = handMade();
    const before = tf.memory().numTensors;
    const { loss, terms } = tf.tidy(() => det.trainStep(batch));
    expect(terms.classifier.dataSync()[0]).toBeCloseTo(Math.log(11), 5);
    expect(terms.box.dataSync()[0]).toBeCloseTo((1 - 0.5 / 9) / 4, 5);
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(11) + (1 - 0.5 / 9) / 4, 5);
    tf.dispose([loss, terms]);
    expect(tf.memory().numTensors).toBe(before);
    batch.images.dispose();
    det.dispose();
  });

  it('analyse classifies one region at a time and times it; detect keeps boxes in the image; bad input names the argument', async () => {
    const det = createRcnn({ numClasses: 10, maxProposals: 5 });
    const image = tf.tidy(() => {
      const canvas = tf.buffer([64, 64, 1]);
      for (let y = 20; y < 40; y++) for (let x = 16; x < 30; x++) canvas.set(1, y, x, 0);
      return canvas.toTensor();
    }) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const a = await det.analyse(image, { scoreThreshold: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.timing.regions).toBe(a.proposals.length);
    expect(a.proposals.length).toBeGreaterThan(0);
    expect(a.proposals.length).toBeLessThanOrEqual(5);
    expect(a.probabilities[0].length).toBe(11);
    expect(a.probabilities[0].reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    expect(a.timing.msPerRegion).toBeCloseTo(a.timing.cnnMs / a.timing.regions, 9);
    for (const d of a.detections) {
      expect(d.box[0]).toBeGreaterThanOrEqual(0);
      expect(d.box[3]).toBeLessThanOrEqual(64);
    }
    await expect(det.detect(image, { scoreThreshold: 1.5 })).rejects.toThrow(/'scoreThreshold' must be a number in \[0, 1\], got 1.5/);
    const two = tf.zeros([8, 8, 2]) as tf.Tensor3D;
    await expect(det.detect(two)).rejects.toThrow(/detect: 'image' must be a \[H, W, 1\] tensor of values in 0..1/);
    const bright = tf.fill([8, 8, 1], 2) as tf.Tensor3D;
    await expect(det.detect(bright)).rejects.toThrow(/detect: 'image' must be .* values in 0..1.*got 2 at flat index 0/);
    expect(() => createRcnn({ numClasses: 10, warpSize: 30 })).toThrow(/'warpSize' must be a multiple of 4/);
    tf.dispose([image, two, bright]);
    det.dispose();
  });
});

describe('Fast R-CNN', () => {
  it('one feature map at stride 4, RoIs pooled to 7x7, head to background + classes; bad pooler named', () => {
    createFastRcnn({ numClasses: 10 }).dispose();
    const before = tf.memory().numTensors;
    const det = createFastRcnn({ numClasses: 10 });
    expect(det.stride).toBe(4);
    expect(det.body.outputs[0].shape).toEqual([null, 32, 32, 32]);
    expect(det.head.outputs.map((o) => o.shape)).toEqual([[null, 11], [null, 44]]);
    const pooled = tf.tidy(() => det.pool(tf.ones([1, 32, 32, 32]) as tf.Tensor4D, [[0, 0, 0, 20, 20], [0, 64, 64, 128, 128]]));
    expect(pooled.shape).toEqual([2, 7, 7, 32]);
    pooled.dispose();
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createFastRcnn({ numClasses: 10, pooler: 'roiMax' as 'roiPool' })).toThrow(/'pooler' must be one of 'roiPool', 'roiAlign'/);
  });

  for (const pooler of ['roiPool', 'roiAlign'] as const) {
    it(`loss on hand-made targets (${pooler}): classifier ln 11 = 2.397895, box 0.236111 (see above)`, () => {
      const det = createFastRcnn({ numClasses: 10, inputShape: [64, 64, 1], pooler });
      zeroWeights([det.head]);
      const batch = handMade();
      const before = tf.memory().numTensors;
      const { loss, terms } = tf.tidy(() => det.trainStep(batch));
      expect(terms.classifier.dataSync()[0]).toBeCloseTo(Math.log(11), 5);
      expect(terms.box.dataSync()[0]).toBeCloseTo((1 - 0.5 / 9) / 4, 5);
      tf.dispose([loss, terms]);
      expect(tf.memory().numTensors).toBe(before);
      batch.images.dispose();
      det.dispose();
    });
  }
});

describe('RoIPool vs RoIAlign on one RoI', () => {
  // An 8x8 feature map (stride 4, a 32x32 image) whose value is the column index x: a pooled value says which column was read.
  // The RoI spans x = 10..27 px, all of y. Scaled by 1/4: x 2.5..6.75 cells.
  // RoIPool rounds the corners (halves away from zero): 2.5 → 3, 6.75 → 7, and takes cells 3..7 inclusive: 5 cells,
  // 2 bins of 2.5 cells: bin 0 = cells [floor(0) + 3, ceil(2.5) + 3) = [3, 6), bin 1 = [floor(2.5) + 3, ceil(5) + 3) = [5, 8).
  // Max of the column index: 5 and 7. The RoI it actually read is x = 12..32 px: 2 px too far right at the left, 5 px at the right.
  // RoIAlign (aligned = false, 1 sample a bin) keeps 2.5..6.75: bins of 2.125 cells, samples at 2.5 + 1.0625 = 3.5625 and
  // 2.5 + 3.1875 = 5.6875; bilinear on a linear ramp gives the positions themselves, which are also the ramp's exact means over the bins.
  const ramp = () => tf.tidy(() => tf.tile(tf.range(0, 8).reshape([1, 1, 8, 1]), [1, 8, 1, 1])) as tf.Tensor4D;
  const roi = [10, 0, 27, 32];

  it('core.roiPool reads whole cells 3-5 and 5-7 (5, 7); core.roiAlign samples 3.5625 and 5.6875', () => {
    const features = ramp();
    const before = tf.memory().numTensors;
    const pooled = roiPool(features, [[0, ...roi]], { outputSize: [1, 2], spatialScale: 1 / 4 });
    const aligned = roiAlign(features, [[0, ...roi]], { outputSize: [1, 2], spatialScale: 1 / 4, samplingRatio: 1 });
    expect(Array.from(pooled.dataSync())).toEqual([5, 7]);
    expect(aligned.dataSync()[0]).toBeCloseTo(3.5625, 5);
    expect(aligned.dataSync()[1]).toBeCloseTo(5.6875, 5);
    tf.dispose([pooled, aligned]);
    expect(tf.memory().numTensors).toBe(before);
    features.dispose();
  });

  it('roiGrids draws the same: exact 2.5..6.75, quantised cells 3..8, bins [3, 6) and [5, 8), samples 3.5625, 5.6875', () => {
    const g = roiGrids(roi, { outputSize: 2, spatialScale: 1 / 4, samplingRatio: 1, mapSize: [8, 8] });
    expect(g.exact).toEqual([2.5, 0, 6.75, 8]);
    expect(g.quantised).toEqual([3, 0, 8, 9]);
    expect(g.poolBins.slice(0, 2).map((b) => [b[0], b[2]])).toEqual([[3, 6], [5, 8]]);
    expect(g.alignSamples.slice(0, 2).map((s) => s[0])).toEqual([3.5625, 5.6875]);
    // The quantisation error in image pixels: (3 - 2.5)·4 = 2 px at the left, (8 - 6.75)·4 = 5 px at the right.
    expect([(g.quantised[0] - g.exact[0]) * 4, (g.quantised[2] - g.exact[2]) * 4]).toEqual([2, 5]);
  });

  it('roiGrids agrees with core.roiPool bin by bin on random RoIs (the max of each drawn bin is the pooled value)', () => {
    const rand = tf.randomUniform([1, 16, 16, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const values = rand.dataSync();
    let seed = 1;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 20; t++) {
      const x1 = next() * 40, y1 = next() * 40;
      const box = [x1, y1, x1 + 4 + next() * 24, y1 + 4 + next() * 24];
      const pooled = tf.tidy(() => roiPool(rand, [[0, ...box]], { outputSize: 3, spatialScale: 1 / 4 }).dataSync());
      const g = roiGrids(box, { outputSize: 3, spatialScale: 1 / 4, mapSize: [16, 16] });
      g.poolBins.forEach(([a, b, c, d], i) => {
        let m = -Infinity;
        for (let y = b; y < d; y++) for (let x = a; x < c; x++) m = Math.max(m, values[y * 16 + x]);
        expect(m === -Infinity ? 0 : m).toBeCloseTo(pooled[i], 6);
      });
    }
    rand.dispose();
  });
});
