import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COCO_LABELS } from '../../../src/models/pretrained';
import { centerNetHead } from '../../../src/models/pretrained/centernet';
import { makeDetector } from '../../../src/models/pretrained/make-detector';
import { nanoDetHead } from '../../../src/models/pretrained/nanodet';

/** A stand-in for a GraphModel: `execute` returns fresh copies of fixed outputs. */
function fakeGraph(outputs: () => tf.Tensor | tf.Tensor[]): tf.GraphModel {
  return { execute: () => outputs(), dispose: () => undefined } as unknown as tf.GraphModel;
}

describe('decoding model outputs', () => {
  let baseline = 0;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('labels: the 80 COCO classes in the 0-based order of torchvision/Detectron2', () => {
    expect(COCO_LABELS).toHaveLength(80);
    expect([COCO_LABELS[0], COCO_LABELS[2], COCO_LABELS[7], COCO_LABELS[79]]).toEqual(['person', 'car', 'truck', 'toothbrush']);
    expect(new Set(COCO_LABELS).size).toBe(80);
  });

  it('CenterNet: reads the graph\'s [1,100,6] detections, thresholds, maps back to the photo', async () => {
    const rows = Array.from({ length: 100 }, () => [0, 0, 0, 0, 0, 0]);
    rows[0] = [100, 46, 200, 465, 0.9, 2]; // a car
    rows[1] = [10, 60, 50, 100, 0.2, 0]; // below threshold 0.3
    rows[2] = [300, 100, 400, 200, 0.5, 7.0000001]; // class read as rounded 7 (truck)
    rows[3] = [100, 46, 200, 465, 0.8, 2]; // same box and class as row 0 (IoU 1 > 0.5): suppressed
    rows[4] = [100, 46, 200, 465, 0.4, 7]; // same box, another class: kept (class-aware NMS, torchvision batched_nms)
    const model = fakeGraph(() => tf.tensor3d([rows]));
    const detector = makeDetector(centerNetHead(model, 512));
    const photo = { data: new Uint8Array(704 * 576 * 4), width: 704, height: 576 };
    const found = await detector.detect(photo, { scoreThreshold: 0.3 });
    // letterbox 704x576 → 512: x / (512/704); (y - 46) / (419/576); see letterbox.test.ts
    expect(found.map((f) => [f.label, f.score])).toEqual([['car', 0.9], ['truck', 0.5], ['truck', 0.4]].map(([l, v]) => [l, expect.closeTo(v as number, 6)]));
    expect(found[0].box[0]).toBeCloseTo(137.5, 4);
    expect(found[0].box[3]).toBeCloseTo(576, 4);
    // truck: x1 = 300 * 704/512 = 412.5; y1 = (100 - 46) * 576/419 = 74.234
    expect(found[1].box[0]).toBeCloseTo(412.5, 4);
    expect(found[1].box[1]).toBeCloseTo((54 * 576) / 419, 4);
    expect(found[1].classId).toBe(7);
  });

  it('NanoDet: integral decoding of side distances from the cell centre (GFL / NanoDet Integral)', async () => {
    // 64 px input: strides 8, 16, 32 → 8x8, 4x4, 2x2 cells
    const level = (side: number, hot?: { cell: number; cls: number; dist: number[][] }) => {
      const scores = tf.buffer([1, side * side, 80]);
      const dist = tf.buffer([1, side * side, 44]);
      if (hot) {
        scores.set(0.8, 0, hot.cell, hot.cls);
        hot.dist.forEach((logits, s) => logits.forEach((v, b) => dist.set(v, 0, hot.cell, s * 11 + b)));
      }
      return [scores.toTensor(), dist.toTensor()];
    };
    const oneHot = (bin: number) => Array.from({ length: 11 }, (_, b) => (b === bin ? 100 : 0));
    const flat = Array(11).fill(0);
    // stride 16, cell (row 1, col 2) = index 1*4 + 2 = 6; centre ((2 + 0.5) * 16, (1 + 0.5) * 16) = (40, 24)
    // left: bin 2 → 2 * 16 = 32 → x1 = 8; top: uniform softmax → mean bin (0+…+10)/11 = 5 → 80 → y1 = -56
    // right: bin 1 → 16 → x2 = 56; bottom: bin 0 → 0 → y2 = 24
    const model = fakeGraph(() => {
      const [s8, d8] = level(8);
      const [s16, d16] = level(4, { cell: 6, cls: 2, dist: [oneHot(2), flat, oneHot(1), oneHot(0)] });
      const [s32, d32] = level(2);
      return [s16, d8, s32, s8, d16, d32]; // shuffled: the head sorts outputs by shape
    });
    const head = nanoDetHead(model, 64);
    const input = tf.zeros([64, 64, 3]) as tf.Tensor3D;
    const c = await head.candidates(input, 0.5);
    expect(c.classIds).toEqual([2]);
    expect(c.scores[0]).toBeCloseTo(0.8, 6);
    const [x1, y1, x2, y2] = c.boxes[0];
    expect(x1).toBeCloseTo(8, 4);
    expect(y1).toBeCloseTo(-56, 4);
    expect(x2).toBeCloseTo(56, 4);
    expect(y2).toBeCloseTo(24, 4);

    const raw = head.raw(input);
    expect(raw.levels.map((l) => [l.stride, ...l.scores.shape])).toEqual([[8, 8, 8, 80], [16, 4, 4, 80], [32, 2, 2, 80]]);
    // the hot cell (row 1, col 2) of stride 16, class 2
    expect((raw.levels[1].scores.arraySync() as number[][][])[1][2][2]).toBeCloseTo(0.8, 6);
    tf.dispose([input, ...raw.levels.map((l) => l.scores)]);
  });

  it('a very large photo is downscaled first, with a notice, and boxes still land in its pixels', async () => {
    const rows = Array.from({ length: 100 }, () => [0, 0, 0, 0, 0, 0]);
    rows[0] = [256, 254, 320, 258, 0.9, 2];
    const detector = makeDetector(centerNetHead(fakeGraph(() => tf.tensor3d([rows])), 512));
    // 8192x64 > 4096: downscaled by 4096/8192 = 0.5 to 4096x32, letterboxed by 512/4096 = 0.125 to 512x4,
    // padY = floor((512 - 4) / 2) = 254; overall scale 0.5 * 0.125 = 0.0625 on both axes
    // x1 = 256 / 0.0625 = 4096, y1 = (254 - 254) / 0.0625 = 0, x2 = 320 / 0.0625 = 5120, y2 = 4 / 0.0625 = 64
    const photo = tf.zeros([64, 8192, 3]) as tf.Tensor3D;
    const notices: string[] = [];
    const found = await detector.detect(photo, { onNotice: (m) => notices.push(m) });
    expect(notices).toEqual([expect.stringMatching(/8192x64 pixels; it was downscaled to 4096x32/)]);
    expect(found).toHaveLength(1);
    found[0].box.forEach((v, i) => expect(v).toBeCloseTo([4096, 0, 5120, 64][i], 6));
    photo.dispose();
  });

  it('a disposed detector says so', async () => {
    const detector = makeDetector(centerNetHead(fakeGraph(() => tf.zeros([1, 100, 6])), 512));
    detector.dispose();
    await expect(detector.detect({ data: [0, 0, 0], width: 1, height: 1 })).rejects.toThrow(/detect: this centernet detector was disposed/);
  });
});
