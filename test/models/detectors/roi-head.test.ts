import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { multiScaleRoiAlign, postprocessDetections, roiHeadLoss, sampleRoiTargets } from '../../../src/models/detectors/index';
import { expectClose, noLeak, take } from '../../core/helpers';

// References: torchvision.models.detection.roi_heads (select_training_samples with add_gt_proposals,
// Matcher(0.5, 0.5), BalancedPositiveNegativeSampler(512, 0.25), BoxCoder(10, 10, 5, 5), fastrcnn_loss,
// postprocess_detections) and torchvision.ops.MultiScaleRoIAlign.

describe('sampleRoiTargets', () => {
  it('adds the ground truth to the proposals, IoU >= 0.5 foreground with class + 1, the rest background', () =>
    noLeak(() => {
      // p0 [0,0,10,8]: IoU 80/100 = 0.8 → foreground; p1 [0,0,10,4]: 0.4 → background; p2 far → background;
      // the appended gt box itself: IoU 1 → foreground.
      const proposals = [0, 0, 10, 8, 0, 0, 10, 4, 50, 50, 60, 60];
      const s = sampleRoiTargets(proposals, [[0, 0, 10, 10]], [3], { batchSizePerImage: 8, positiveFraction: 0.25, seed: 1 });
      // At most 8 · 0.25 = 2 foreground: both; then the 2 background.
      expect(s.numPositive).toBe(2);
      expect(s.labels).toEqual([4, 4, 0, 0]);
      expect(Array.from(s.boxes.subarray(0, 8))).toEqual([0, 0, 10, 8, 0, 0, 10, 10]);
      // p0 → gt with weights (10, 10, 5, 5): dy = 10·(5 - 4)/8 = 1.25, dh = 5·log(10/8) = 1.1157; the gt copy → 0.
      expectClose(take(s.targets), [
        [0, 1.25, 0, 5 * Math.log(10 / 8)],
        [0, 0, 0, 0],
      ]);
    }));
  it('caps the foreground at 25%', () => {
    const proposals = Array.from({ length: 20 }, () => [0, 0, 10, 10]).flat();
    const s = sampleRoiTargets(proposals, [[0, 0, 10, 10]], [0], { batchSizePerImage: 8, seed: 2 });
    // 21 foreground candidates, no background: 2 foreground, and no background to fill the rest.
    expect(s.numPositive).toBe(2);
    expect(s.labels).toEqual([1, 1]);
    s.targets.dispose();
  });
});

describe('roiHeadLoss (fastrcnn_loss)', () => {
  it('cross-entropy over all sampled RoIs plus the own-class smooth L1 of the foreground / K (hand-worked)', () =>
    noLeak(() => {
      // 2 classes + background. RoI 0 foreground of label 2, logits 0: CE = ln 3 = 1.098612.
      // RoI 1 background, logits [2, 0, 0]: CE = log(1 + 2e⁻²) = 0.239560. Mean 0.669086.
      const logits = tf.tensor2d([[0, 0, 0], [2, 0, 0]]);
      // RoI 0's class-2 deltas (columns 8-11) [0.05, 0, 1, 0] vs target 0: 0.5·0.05²·9 = 0.01125 and 1 - 1/18 = 0.944444;
      // the 5s of class 1 and of the background RoI are not the own class of a foreground RoI and do not count. Sum / K = 2.
      const deltas = tf.tensor2d([
        [5, 5, 5, 5, 5, 5, 5, 5, 0.05, 0, 1, 0],
        [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
      ]);
      const targets = tf.zeros([1, 4]) as tf.Tensor2D;
      const { classifier, box } = roiHeadLoss(logits, deltas, [2, 0], targets);
      expectClose(take(classifier), (Math.log(3) + Math.log(1 + 2 * Math.exp(-2))) / 2);
      expectClose(take(box), (0.01125 + 1 - 1 / 18) / 2);
      expect(() => roiHeadLoss(logits, deltas, [0, 2], targets)).toThrow(/roiHeadLoss: 'labels' must list the 1 foreground RoIs \(label >= 1\) first/);
      tf.dispose([logits, deltas, targets]);
    }));
});

describe('postprocessDetections', () => {
  it('softmax, per-class decode and clip, drop background and low scores, NMS per class, best first', () =>
    noLeak(() => {
      // Two proposals with IoU 0.82; zero deltas keep each at its proposal (p1 is clipped to the 40 px image).
      const proposals = [10, 10, 30, 30, 11, 11, 31, 41];
      const zeros = tf.zeros([2, 12]) as tf.Tensor2D;
      // p0: class 1 at e⁵/(e⁵ + 2) = 0.986703; p1: class 1 at e³/(e³ + 2) = 0.909443 — same class, IoU of
      // [10,10,30,30] and [11,11,31,40] = 361/(400 + 580 - 361) = 0.583 > 0.5 → suppressed. Class-2 scores 0.0067 and 0.045 < 0.05.
      const same = tf.tensor2d([[0, 5, 0], [0, 3, 0]]) as tf.Tensor2D;
      const a = postprocessDetections(same, zeros, proposals, [40, 40]);
      expect(Array.from(a.classIds)).toEqual([0]);
      expectClose(Array.from(a.scores), [Math.exp(5) / (Math.exp(5) + 2)]);
      expect(Array.from(a.boxes)).toEqual([10, 10, 30, 30]);
      // p1 now votes class 2: another class, so it stays, clipped at y = 40.
      const other = tf.tensor2d([[0, 5, 0], [0, 0, 3]]) as tf.Tensor2D;
      const b = postprocessDetections(other, zeros, proposals, [40, 40]);
      expect(Array.from(b.classIds)).toEqual([0, 1]);
      expect(Array.from(b.boxes)).toEqual([10, 10, 30, 30, 11, 11, 31, 40]);
      expect(postprocessDetections(other, zeros, proposals, [40, 40], { maxDetections: 1 }).scores.length).toBe(1);
      expect(postprocessDetections(other, zeros, proposals, [40, 40], { scoreThreshold: 0.95 }).scores.length).toBe(1);
      tf.dispose([zeros, same, other]);
    }));
});

describe('multiScaleRoiAlign', () => {
  it('pools each RoI from its own level at 1/stride and keeps the RoIs\' order; gradients reach each level', () =>
    noLeak(() => {
      const p2 = tf.fill([1, 8, 8, 1], 1) as tf.Tensor4D;
      const p3 = tf.fill([1, 4, 4, 1], 2) as tf.Tensor4D;
      const rois = [0, 0, 0, 16, 16, 0, 4, 4, 12, 12, 0, 8, 8, 24, 24];
      // Levels [1, 0, 1]: RoI 0 and 2 from P3 (value 2), RoI 1 from P2 (value 1); constant maps pool to their value.
      const out = multiScaleRoiAlign([p2, p3], [4, 8], rois, [1, 0, 1], { outputSize: 2, samplingRatio: 2 });
      expect(out.shape).toEqual([3, 2, 2, 1]);
      expectClose(take(out), [[[[2], [2]], [[2], [2]]], [[[1], [1]], [[1], [1]]], [[[2], [2]], [[2], [2]]]]);
      const [g2, g3] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(multiScaleRoiAlign([a as tf.Tensor4D, b as tf.Tensor4D], [4, 8], rois, [1, 0, 1], { outputSize: 2, samplingRatio: 2 })))([p2, p3]);
      // Each RoI spreads a total weight of 4 bins · 1 over its level's pixels.
      expectClose(take<number>(tf.sum(g2)), 4);
      expectClose(take<number>(tf.sum(g3)), 8);
      tf.dispose([p2, p3, g2, g3]);
    }));
});
