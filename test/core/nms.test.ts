import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchedNms, nms, nmsSteps, softNms } from '../../src/core/index';
import { expectClose, noLeak } from './helpers';
import { randomBoxes } from './random-boxes';

// Reference semantics: torchvision.ops.nms / batched_nms (drop when IoU > threshold,
// highest score first), Soft-NMS from Bodla et al. 2017 (Algorithm 1).

/** The definition, written as plainly as possible: the oracle for random cases. */
function referenceNms(boxes: number[][], scores: number[], thr: number): number[] {
  const iou = (a: number[], b: number[]) => {
    const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
    const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h;
    return u > 0 ? (w * h) / u : 0;
  };
  let order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  const keep: number[] = [];
  while (order.length) {
    const i = order[0];
    keep.push(i);
    order = order.slice(1).filter((j) => !(iou(boxes[i], boxes[j]) > thr));
  }
  return keep;
}

describe('nms (torchvision.ops.nms)', () => {
  it('keeps the best box and drops its overlaps', () =>
    noLeak(async () => {
      // IoU(box0, box1) = 81 / (100 + 100 - 81) = 0.68 > 0.5; box2 is disjoint
      expect(await nms([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5)).toEqual([0, 2]);
      expect(await nms([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.7)).toEqual([0, 1, 2]);
    }));
  it('drops only when IoU is strictly greater than the threshold', () =>
    noLeak(async () => {
      // [0,0,4,1] vs [0,0,2,1]: inter 2, union 4 → IoU exactly 0.5
      const boxes = [[0, 0, 4, 1], [0, 0, 2, 1]];
      expect(await nms(boxes, [0.9, 0.8], 0.5)).toEqual([0, 1]);
      expect(await nms(boxes, [0.9, 0.8], 0.49)).toEqual([0]);
      expect(await nms(boxes, [0.9, 0.8], 1)).toEqual([0, 1]);
      expect(await nms(boxes, [0.9, 0.8], 0)).toEqual([0]);
    }));
  it('breaks score ties by lower index, and orders output by score', () =>
    noLeak(async () => {
      const disjoint = [[0, 0, 1, 1], [2, 2, 3, 3], [4, 4, 5, 5]];
      expect(await nms(disjoint, [0.5, 0.9, 0.5], 0.5)).toEqual([1, 0, 2]);
      // identical boxes with equal scores: the lower index survives
      expect(await nms([[0, 0, 2, 2], [0, 0, 2, 2]], [0.3, 0.3], 0.5)).toEqual([0]);
    }));
  it('handles empty, zero-area and touching boxes', () =>
    noLeak(async () => {
      expect(await nms([], [], 0.5)).toEqual([]);
      // zero-area duplicates have IoU 0 (no NaN), so neither suppresses the other
      expect(await nms([[1, 1, 1, 1], [1, 1, 1, 1]], [0.9, 0.8], 0.5)).toEqual([0, 1]);
      // touching edges: IoU 0
      expect(await nms([[0, 0, 1, 1], [1, 0, 2, 1]], [0.9, 0.8], 0)).toEqual([0, 1]);
    }));
  it('accepts tensors, respects maxOutputSize, and matches the definition on random boxes', () =>
    noLeak(async () => {
      const { boxes, scores } = randomBoxes(300, 7);
      const b = tf.tensor2d(boxes);
      const s = tf.tensor1d(scores);
      for (const thr of [0.1, 0.3, 0.5, 0.8]) {
        const got = await nms(b, s, thr);
        expect(got).toEqual(referenceNms(boxes, scores, thr));
        expect(await nms(b, s, thr, { maxOutputSize: 5 })).toEqual(got.slice(0, 5));
      }
      tf.dispose([b, s]);
    }));
  it('the candidate grid gives the definition\'s result on layouts that stress its cells', () =>
    noLeak(async () => {
      // greedyNms buckets boxes by top-left corner into cells at least as large as the
      // largest box; these layouts hit its edge cases: far outliers (few wide cells), every
      // box in one column (one cell wide), one huge box among small ones, exact duplicates.
      let s = 12345;
      const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
      const layouts: number[][][] = [
        [...Array.from({ length: 150 }, () => { const x = rnd() * 50, y = rnd() * 50; return [x, y, x + 1 + rnd() * 8, y + 1 + rnd() * 8]; }), [5000, 5000, 5010, 5010], [-3000, 20, -2990, 30]],
        Array.from({ length: 120 }, () => { const y = rnd() * 200; return [7, y, 9 + rnd() * 3, y + 2 + rnd() * 10]; }),
        [[0, 0, 400, 400], ...Array.from({ length: 150 }, () => { const x = rnd() * 390, y = rnd() * 390; return [x, y, x + 2 + rnd() * 8, y + 2 + rnd() * 8]; })],
        Array.from({ length: 60 }, (_, i) => [i % 3, 0, (i % 3) + 5, 5]),
      ];
      for (const boxes of layouts) {
        const scores = boxes.map(() => Math.round(rnd() * 20) / 20); // ties too
        for (const thr of [0, 0.2, 0.5]) expect(await nms(boxes, scores, thr)).toEqual(referenceNms(boxes, scores, thr));
      }
    }));
  it('agrees with tf.image.nonMaxSuppressionAsync on random boxes (y1,x1,y2,x2 there)', () =>
    noLeak(async () => {
      const { boxes, scores } = randomBoxes(500, 11);
      const yx = tf.tensor2d(boxes.map(([x1, y1, x2, y2]) => [y1, x1, y2, x2]));
      const s = tf.tensor1d(scores);
      const ref = await tf.image.nonMaxSuppressionAsync(yx, s, 500, 0.4);
      expect(await nms(boxes, scores, 0.4)).toEqual(Array.from(await ref.data()));
      tf.dispose([yx, s, ref]);
    }));
  it('names the argument on bad input', () =>
    noLeak(async () => {
      await expect(nms([[0, 0, 1, 1]], [0.5], 1.5)).rejects.toThrow(/nms: 'iouThreshold' must be a number in \[0, 1\], got 1.5/);
      await expect(nms([[0, 0, 1, 1]], [0.5, 0.2], 0.5)).rejects.toThrow(/nms: 'scores' must be one score per box \(1\), got 2 scores/);
      await expect(nms([[0, 0, 1, NaN]], [0.5], 0.5)).rejects.toThrow(/nms: 'boxes' must be finite box coordinates/);
      await expect(nms([[2, 0, 1, 1]], [0.5], 0.5)).rejects.toThrow(/nms: 'boxes' must be boxes with x2 >= x1/);
      await expect(nms([[0, 0, 1, 1]], [NaN], 0.5)).rejects.toThrow(/nms: 'scores' must be finite numbers/);
      await expect(nms([[0, 0, 1]], [0.5], 0.5)).rejects.toThrow(/nms: 'boxes' must be a \[N,4\] array/);
    }));
});

describe('batchedNms (torchvision.ops.batched_nms)', () => {
  it('never suppresses across classes', () =>
    noLeak(async () => {
      const boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [0, 0, 10, 10], [20, 20, 30, 30]];
      // class 0: boxes 0,1 overlap (IoU 0.68) → keep 0; class 1: box 2 alone; class 0: box 3 disjoint
      expect(await batchedNms(boxes, [0.9, 0.8, 0.85, 0.7], [0, 0, 1, 0], 0.5)).toEqual([0, 2, 3]);
      expect(await batchedNms([], [], [], 0.5)).toEqual([]);
    }));
  it('equals the coordinate-offset trick on random boxes', () =>
    noLeak(async () => {
      const { boxes, scores } = randomBoxes(200, 3);
      const classes = boxes.map((_, i) => (i * 7) % 3);
      // torchvision: offset each class's boxes by class * (max coordinate + 1), then one nms
      const offset = Math.max(...boxes.flat()) + 1;
      const shifted = boxes.map((b, i) => b.map((v) => v + classes[i] * offset));
      const ids = tf.tensor1d(classes, 'int32');
      expect(await batchedNms(boxes, scores, ids, 0.3)).toEqual(await nms(shifted, scores, 0.3));
      ids.dispose();
    }));
  it('checks classIds', async () => {
    await expect(batchedNms([[0, 0, 1, 1]], [0.5], [0, 1], 0.5)).rejects.toThrow(/batchedNms: 'classIds' must be one class id per box \(1\)/);
    await expect(batchedNms([[0, 0, 1, 1]], [0.5], [0.5], 0.5)).rejects.toThrow(/batchedNms: 'classIds' must be integers/);
  });
});

describe('softNms (Bodla et al. 2017)', () => {
  const boxes = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]];
  const iou01 = 81 / 119;
  it('linear: decays overlaps of at least N_t by (1 - IoU)', () =>
    noLeak(async () => {
      const r = await softNms(boxes, [0.9, 0.8, 0.7], { method: 'linear', iouThreshold: 0.3 });
      // 0.8·(1 - 0.6807) = 0.2555 falls below box 2's 0.7, so box 2 is picked second
      expect(r.indices).toEqual([0, 2, 1]);
      expectClose(r.scores, [0.9, 0.7, 0.8 * (1 - iou01)]);
    }));
  it('gaussian: decays every overlap by exp(-IoU²/sigma)', () =>
    noLeak(async () => {
      const r = await softNms(boxes, [0.9, 0.8, 0.7], { method: 'gaussian', sigma: 0.5 });
      expect(r.indices).toEqual([0, 2, 1]);
      expectClose(r.scores, [0.9, 0.7, 0.8 * Math.exp(-(iou01 * iou01) / 0.5)]);
    }));
  it('drops boxes whose decayed score falls below scoreThreshold', () =>
    noLeak(async () => {
      const r = await softNms(boxes, [0.9, 0.8, 0.0001], { method: 'linear', iouThreshold: 0.3, scoreThreshold: 0.3 });
      // box 1 decays to 0.2555 < 0.3; box 2 starts below 0.3
      expect(r.indices).toEqual([0]);
      expect((await softNms([], [])).indices).toEqual([]);
    }));
  it('linear decays at IoU exactly N_t (the paper\'s f: IoU >= N_t)', () =>
    noLeak(async () => {
      // Soft-NMS paper, Algorithm 1. [0,0,10,10] and [0,0,10,5]: inter 50, union 100 + 50 - 50 = 100 -> IoU 0.5 exactly.
      // At N_t = 0.5 box 1 decays to 0.8·(1 - 0.5) = 0.4; a strict > would leave it at 0.8.
      const r = await softNms([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8], { method: 'linear', iouThreshold: 0.5 });
      expect(r.indices).toEqual([0, 1]);
      expectClose(r.scores, [0.9, 0.4]);
      // Just above the overlap, nothing decays: IoU 0.5 < 0.51.
      expectClose((await softNms([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8], { method: 'linear', iouThreshold: 0.51 })).scores, [0.9, 0.8]);
    }));
  it('leaves disjoint boxes untouched even at N_t = 0 (the decay factor 1 - 0 is 1)', () =>
    noLeak(async () => {
      const r = await softNms([[0, 0, 1, 1], [5, 5, 6, 6]], [0.5, 0.5], { method: 'linear', iouThreshold: 0 });
      expect(r).toEqual({ indices: [0, 1], scores: [0.5, 0.5] });
    }));
  it('names bad options', async () => {
    await expect(softNms(boxes, [1, 1, 1], { method: 'box' as never })).rejects.toThrow(/softNms: 'method' must be one of 'linear', 'gaussian'/);
    await expect(softNms(boxes, [1, 1, 1], { sigma: 0 })).rejects.toThrow(/softNms: 'sigma' must be a positive number/);
    await expect(softNms(boxes, [1, 1, 1], { iouThreshold: -0.1 })).rejects.toThrow(/softNms: 'iouThreshold' must be a number in \[0, 1\]/);
  });
});

describe('nmsSteps (greedy NMS, one round at a time)', () => {
  it('reports kept, ious and suppressed per round', () =>
    noLeak(() => {
      const steps = nmsSteps([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5);
      expect(steps.map((s) => s.kept)).toEqual([0, 2]);
      expect(steps[0].suppressed).toEqual([1]);
      expect(steps[0].remaining).toEqual([2]);
      expectClose(steps[0].ious, [1, 81 / 119, 0]);
      expect(steps[1]).toMatchObject({ kept: 2, suppressed: [], remaining: [] });
    }));
  it('keeps the same boxes as nms on random boxes', () =>
    noLeak(async () => {
      const { boxes, scores } = randomBoxes(120, 5);
      expect(nmsSteps(boxes, scores, 0.3).map((s) => s.kept)).toEqual(await nms(boxes, scores, 0.3));
    }));
});
