import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, labelsFromMatches, matchByIou, sampleBalanced, seededRandom } from '../../src/core/index';
import { noLeak } from './helpers';

// Reference semantics: torchvision.models.detection._utils.Matcher and BalancedPositiveNegativeSampler.
const rpn = { highThreshold: 0.7, lowThreshold: 0.3 };

describe('matchByIou (torchvision Matcher)', () => {
  it('matches above high, -2 between, -1 below low; high and low are inclusive lower bounds', () => {
    expect(BELOW_LOW_THRESHOLD).toBe(-1);
    expect(BETWEEN_THRESHOLDS).toBe(-2);
    expect(matchByIou([[0.9, 0.4, 0.1]], rpn)).toEqual([0, -2, -1]);
    // 0.7 >= high → matched; 0.3 = low → between (low <= v < high)
    expect(matchByIou([[0.7, 0.3, 0.29999]], rpn)).toEqual([0, -2, -1]);
  });
  it('takes the best gt per prediction (first on ties)', () => {
    // columns: pred0 best gt1 (0.9); pred1 tie 0.8/0.8 → gt0
    expect(matchByIou([[0.5, 0.8], [0.9, 0.8]], rpn)).toEqual([1, 0]);
  });
  it('restores each gt\'s best predictions, ties included, with allowLowQualityMatches', () => {
    const iou = [
      [0.8, 0.2, 0.0, 0.35],
      [0.1, 0.1, 0.6, 0.6],
    ];
    // without: pred2 and pred3 peak at 0.6 (gt1) → -2; pred1 peaks at 0.2 → -1
    expect(matchByIou(iou, rpn)).toEqual([0, -1, -2, -2]);
    // gt1's highest IoU 0.6 is reached by pred2 and pred3 → both get their best gt, 1
    expect(matchByIou(iou, { ...rpn, allowLowQualityMatches: true })).toEqual([0, -1, 1, 1]);
  });
  it('restores the prediction\'s own argmax, not the gt that chose it (torchvision quirk)', () => {
    // gt1's best prediction is pred0 (0.75), but pred0's argmax is gt0 (0.8): it stays 0
    expect(matchByIou([[0.8, 0.1], [0.75, 0.2]], { ...rpn, allowLowQualityMatches: true })).toEqual([0, -1]);
    // a gt with no overlap at all "restores" every prediction at 0 to its argmax
    expect(matchByIou([[0.9, 0, 0], [0, 0, 0]], { ...rpn, allowLowQualityMatches: true })).toEqual([0, 0, 0]);
  });
  it('handles no predictions and no ground truth (all -1; torchvision raises)', () =>
    noLeak(() => {
      const noGt = tf.zeros([0, 3]);
      expect(matchByIou(noGt, rpn)).toEqual([-1, -1, -1]);
      const noPred = tf.zeros([2, 0]);
      expect(matchByIou(noPred, rpn)).toEqual([]);
      expect(matchByIou([], rpn)).toEqual([]);
      tf.dispose([noGt, noPred]);
    }));
  it('names bad input', () => {
    expect(() => matchByIou([[0.5]], { highThreshold: 0.3, lowThreshold: 0.5 })).toThrow(/matchByIou: 'lowThreshold' must be at most highThreshold \(0.3\), got 0.5/);
    expect(() => matchByIou([[0.5]], { highThreshold: 1.2, lowThreshold: 0.5 })).toThrow(/matchByIou: 'highThreshold' must be a number in \[0, 1\], got 1.2/);
    expect(() => matchByIou([[NaN]], rpn)).toThrow(/matchByIou: 'iou' must be finite numbers/);
    expect(() => matchByIou([[0.1, 0.2], [0.3]], rpn)).toThrow(/matchByIou: 'iou' must be rows of equal length \(2\)/);
  });
});

describe('sampleBalanced (torchvision BalancedPositiveNegativeSampler)', () => {
  const labels = [...Array(10).fill(1), ...Array(100).fill(0), ...Array(5).fill(-1)];
  it('takes batch·fraction positives and fills the batch with negatives', () => {
    // 16·0.25 = 4 positives (10 available), 16 - 4 = 12 negatives
    const s = sampleBalanced(labels, { batchSizePerImage: 16, positiveFraction: 0.25, seed: 1 });
    expect(s.positive.length).toBe(4);
    expect(s.negative.length).toBe(12);
    expect(s.positive.every((i) => labels[i] === 1)).toBe(true);
    expect(s.negative.every((i) => labels[i] === 0)).toBe(true);
    expect(new Set(s.negative).size).toBe(12);
    expect(s.negative).toEqual([...s.negative].sort((a, b) => a - b));
  });
  it('is deterministic for a seed', () => {
    const opts = { batchSizePerImage: 16, positiveFraction: 0.5 };
    const a = sampleBalanced(labels, { ...opts, seed: 7 });
    expect(sampleBalanced(labels, { ...opts, seed: 7 })).toEqual(a);
    expect(sampleBalanced(labels, { ...opts, seed: 8 })).not.toEqual(a);
  });
  it('uses fewer when there are not enough positives or negatives', () =>
    noLeak(() => {
      // 2 positives < 16·0.5 → 2; then 14 negatives
      const few = tf.tensor1d([1, 1, ...Array(20).fill(0)], 'int32');
      const s = sampleBalanced(few, { batchSizePerImage: 16, positiveFraction: 0.5, seed: 3 });
      expect([s.positive, s.negative.length]).toEqual([[0, 1], 14]);
      few.dispose();
      // 3 negatives only: all of them
      expect(sampleBalanced([0, 0, 0, 2, -1], { batchSizePerImage: 8, positiveFraction: 0.25, seed: 3 })).toEqual({ positive: [3], negative: [0, 1, 2] });
    }));
  it('maps matcher output to labels like the torchvision RPN', () => {
    expect(labelsFromMatches([3, -1, -2, 0])).toEqual([1, 0, -1, 1]);
  });
  it('names bad options', () => {
    expect(() => sampleBalanced([1], { batchSizePerImage: 2.5, positiveFraction: 0.5 })).toThrow(/sampleBalanced: 'batchSizePerImage' must be a non-negative integer/);
    expect(() => sampleBalanced([1], { batchSizePerImage: 2, positiveFraction: 2 })).toThrow(/sampleBalanced: 'positiveFraction' must be a number in \[0, 1\]/);
  });
  it('seededRandom gives mulberry32 values in [0, 1)', () => {
    const r = seededRandom(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(1)()).toBe(xs[0]);
  });
});
