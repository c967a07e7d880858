import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { filterProposals, labelAnchors, rpnLoss, sampleTargets } from '../../../src/models/detectors/rpn/index';
import { canonicalScaleFor, mapLevels } from '../../../src/models/detectors/level-mapper';
import { expectClose, noLeak, take } from '../../core/helpers';

// References: torchvision.models.detection.rpn.RegionProposalNetwork (assign_targets_to_anchors, compute_loss,
// filter_proposals), _utils.Matcher(0.7, 0.3, allow_low_quality_matches=True), BalancedPositiveNegativeSampler(256, 0.5),
// poolers.LevelMapper (FPN paper eq. 1).

const anchors = [
  [0, 0, 10, 10], // a0: IoU 1 with gt0 → positive
  [0, 0, 10, 8], // a1: 80 / 100 = 0.8 with gt0 → positive
  [5, 0, 15, 10], // a2: 50 / 150 = 0.333 with gt0 → between 0.3 and 0.7: ignored
  [20, 20, 30, 30], // a3: 4 / 240 = 0.017 with gt1 → negative
  [30, 30, 40, 40], // a4: 100 / 144 = 0.694 with gt1 → below 0.7, but gt1's best anchor → positive
];
const gt = [
  [0, 0, 10, 10],
  [28, 28, 40, 40],
];

describe('labelAnchors (torchvision RPN assign_targets_to_anchors)', () => {
  it('labels a hand-worked scene: > 0.7 positive, < 0.3 negative, each object\'s best anchor positive', () =>
    noLeak(() => {
      const { labels, matchedGt } = labelAnchors(anchors, gt);
      expect(Array.from(labels)).toEqual([1, 1, -1, 0, 1]);
      expect(Array.from(matchedGt)).toEqual([0, 0, -1, -1, 1]);
      // Without the low-quality rule a4 is only "between": ignored.
      expect(Array.from(labelAnchors(anchors, gt, { allowLowQualityMatches: false }).labels)).toEqual([1, 1, -1, 0, -1]);
    }));
  it('makes every anchor negative in an image without objects', () => {
    expect(Array.from(labelAnchors(anchors, []).labels)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('sampleTargets (BalancedPositiveNegativeSampler, 256 at 1:1)', () => {
  it('takes every positive when there are few, and fills 256 with negatives', () =>
    noLeak(() => {
      const labels = new Int8Array(1000);
      labels[3] = labels[10] = labels[500] = 1;
      const boxes = tf.tensor2d(Array.from({ length: 1000 }, () => [0, 0, 1, 1]));
      const s = sampleTargets(boxes as tf.Tensor2D, [[0, 0, 1, 1]], labels, new Int32Array(1000), { seed: 1, weights: [1, 1, 1, 1] });
      boxes.dispose();
      expect(s.positive).toEqual([3, 10, 500]);
      expect(s.negative.length).toBe(253);
      expect(s.negative.every((i) => labels[i] === 0)).toBe(true);
      s.targets.dispose();
    }));
  it('caps positives at 128 when there are many, and the rest are negatives', () => {
    const labels = new Int8Array(1000).fill(0).map((_, i) => (i < 200 ? 1 : i < 300 ? -1 : 0));
    const boxes = Array.from({ length: 1000 }, () => [0, 0, 10, 10]);
    const s = sampleTargets(boxes, [[0, 0, 10, 10]], labels, new Int32Array(1000), { seed: 2 });
    expect(s.positive.length).toBe(128);
    expect(s.negative.length).toBe(128);
    expect(s.negative.every((i) => i >= 300)).toBe(true);
    s.targets.dispose();
  });
  it('encodes the positives against their own anchors, offset into the batch', () =>
    noLeak(() => {
      const { labels, matchedGt } = labelAnchors(anchors, gt);
      const s = sampleTargets(anchors, gt, labels, matchedGt, { seed: 0, offset: 100 });
      expect(s.positive).toEqual([100, 101, 104]);
      expect(s.negative).toEqual([103]);
      expect(s.positiveGt).toEqual([0, 0, 1]);
      // a1 [0,0,10,8] → gt0 [0,0,10,10]: dx 0, dy (5 - 4)/8 = 0.125, dw log(10/10) = 0, dh log(10/8) = 0.2231.
      // a4 [30,30,40,40] → gt1 [28,28,40,40]: dx (34 - 35)/10 = -0.1, dy -0.1, dw = dh = log(12/10) = 0.1823.
      expectClose(take(s.targets), [
        [0, 0, 0, 0],
        [0, 0.125, 0, Math.log(10 / 8)],
        [-0.1, -0.1, Math.log(1.2), Math.log(1.2)],
      ]);
    }));
});

describe('rpnLoss (torchvision compute_loss)', () => {
  it('averages BCE over the sampled anchors and divides the positives\' smooth L1 (β = 1/9) sum by them too', () =>
    noLeak(() => {
      const objectness = tf.tensor1d([0, 2, -1, 0.5]);
      const deltas = tf.tensor2d([[0.1, 0, 0, 0.5], [9, 9, 9, 9], [9, 9, 9, 9], [9, 9, 9, 9]]);
      const { objectness: o, box: b } = rpnLoss({ objectness, deltas, positive: [0], negative: [1, 2], targets: [[0, 0, 0, 0]] });
      // BCE: anchor 0 (y = 1, x = 0) log 2 = 0.693147; anchor 1 (y = 0, x = 2) log(1 + e²) = 2.126928;
      // anchor 2 (y = 0, x = -1) log(1 + e⁻¹) = 0.313262; mean = 3.133337 / 3 = 1.044446. Anchor 3 is not sampled.
      expectClose(take(o), 1.044446);
      // Smooth L1 on anchor 0: |0.1| < 1/9 → 0.5·0.01·9 = 0.045; |0.5| ≥ 1/9 → 0.5 - 0.5/9 = 0.444444;
      // sum 0.489444 divided by the 3 sampled anchors = 0.163148. Negatives' deltas (9s) do not count.
      expectClose(take(b), 0.489444 / 3);
      tf.dispose([objectness, deltas]);
    }));
  it('sends gradient only to sampled anchors (box terms only to positives)', () =>
    noLeak(() => {
      const objectness = tf.tensor1d([0, 2, -1, 0.5]);
      const deltas = tf.tensor2d([[0.1, 0, 0, 0.5], [9, 9, 9, 9], [9, 9, 9, 9], [9, 9, 9, 9]]);
      const [go, gd] = tf.grads((x: tf.Tensor, d: tf.Tensor) => {
        const l = rpnLoss({ objectness: x, deltas: d, positive: [0], negative: [1, 2], targets: [[0, 0, 0, 0]] });
        return tf.add(l.objectness, l.box);
      })([objectness, deltas]);
      // d BCE / dx = (σ(x) - y) / 3: anchor 0 (0.5 - 1)/3, anchor 1 (0.880797)/3, anchor 2 (0.268941)/3, anchor 3 0.
      expectClose(take(go), [-0.5 / 3, 0.880797 / 3, 0.268941 / 3, 0]);
      // d smoothL1 / dd: 9·0.1 = 0.9 (quadratic part), sign 1 (linear part); / 3.
      expectClose(take(gd), [[0.3, 0, 0, 1 / 3], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
      tf.dispose([objectness, deltas]);
    }));
  it('is zero for an empty sample and names bad input', () =>
    noLeak(() => {
      const x = tf.zeros([2]);
      const d = tf.zeros([2, 4]);
      const empty = rpnLoss({ objectness: x, deltas: d, positive: [], negative: [], targets: [] });
      expect(take<number>(empty.objectness)).toBe(0);
      expect(take<number>(empty.box)).toBe(0);
      expect(() => rpnLoss({ objectness: x, deltas: d, positive: [2], negative: [], targets: [[0, 0, 0, 0]] })).toThrow(/rpnLoss: 'positive' must be an array of indices in \[0, 2\)/);
      expect(() => rpnLoss({ objectness: x, deltas: d, positive: [0], negative: [], targets: [] })).toThrow(/rpnLoss: 'targets' must be a \[1, 4\] tensor/);
      tf.dispose([x, d]);
    }));
});

describe('filterProposals (torchvision filter_proposals)', () => {
  // Level 0: b0 [0,0,10,10] logit 2; b1 [0,0,10,9] logit 1 (IoU 0.9 with b0); b2 [-5,-5,3,3] logit 0 (clips to [0,0,3,3]).
  // Level 1: b3 [30,0,45,10] logit 0.5 (clips to [30,0,40,10] in a 40 px wide image); b4 [5,5,5.0005,15] logit 3 (0.0005 wide).
  const inputs = {
    boxes: [0, 0, 10, 10, 0, 0, 10, 9, -5, -5, 3, 3, 30, 0, 45, 10, 5, 5, 5.0005, 15],
    objectness: [2, 1, 0, 0.5, 3],
    levelSizes: [3, 2],
    imageSize: [20, 40] as [number, number],
  };
  it('top-k per level, clip, remove small, NMS per level, then the best postNmsTopN', () => {
    // preNmsTopN 2 keeps b0, b1 (level 0) and b4, b3 (level 1); b4 is too thin (< 1e-3); NMS drops b1 (0.9 > 0.7).
    const p = filterProposals(inputs, { preNmsTopN: 2, postNmsTopN: 5 });
    expect(Array.from(p.boxes)).toEqual([0, 0, 10, 10, 30, 0, 40, 10]);
    expectClose(Array.from(p.scores), [1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-0.5))]);
    expect(Array.from(p.levels)).toEqual([0, 1]);
    // preNmsTopN 3 lets b2 in; clipped, its IoU with b0 is 9/100, so it stays, last by score (σ(0) = 0.5).
    const q = filterProposals(inputs, { preNmsTopN: 3, postNmsTopN: 5 });
    expect(Array.from(q.boxes)).toEqual([0, 0, 10, 10, 30, 0, 40, 10, 0, 0, 3, 3]);
    expect(Array.from(filterProposals(inputs, { preNmsTopN: 3, postNmsTopN: 2 }).boxes)).toEqual([0, 0, 10, 10, 30, 0, 40, 10]);
    // Levels do not suppress each other: b3 moved onto b0 survives at level 1.
    const same = { ...inputs, boxes: [...inputs.boxes.slice(0, 12), 0, 0, 10, 10, ...inputs.boxes.slice(16)] };
    expect(filterProposals(same, { preNmsTopN: 2, postNmsTopN: 5 }).scores.length).toBe(2);
    // A score threshold drops b3 (0.62 < 0.7).
    expect(Array.from(filterProposals(inputs, { preNmsTopN: 2, postNmsTopN: 5, scoreThreshold: 0.7 }).boxes)).toEqual([0, 0, 10, 10]);
  });
  it('names bad input: more proposals than anchors, thresholds outside [0, 1]', () => {
    expect(() => filterProposals(inputs, { postNmsTopN: 6 })).toThrow(/filterProposals: 'postNmsTopN' must be at most the number of anchors \(5\), got 6/);
    expect(() => filterProposals(inputs, { postNmsTopN: 5, scoreThreshold: 1.5 })).toThrow(/'scoreThreshold' must be a number in \[0, 1\], got 1.5/);
    expect(() => filterProposals({ ...inputs, levelSizes: [3, 3] }, { postNmsTopN: 5 })).toThrow(/'levelSizes' must be anchors per level adding up to 5/);
  });
});

describe('mapLevels (torchvision LevelMapper, FPN eq. 1)', () => {
  const box = (s: number) => [0, 0, s, s];
  it('k = floor(4 + log2(√(wh)/224) + 1e-6), clamped to [2, 5], as an index from kMin', () => {
    // 224 → 4 → P4 (index 2); 112 → 3; 56 → 2; 28 → 1 → clamped to 2; 448 → 5; 1000 → 6.16 → 5.
    // 111.99 → 4 + log2(0.49995) = 2.99986 → 2: the boundary sits exactly at 112, where eps keeps 3.
    const levels = mapLevels([224, 112, 56, 28, 448, 1000, 111.99].flatMap(box), { kMin: 2, kMax: 5 });
    expect(Array.from(levels)).toEqual([2, 1, 0, 0, 3, 3, 0]);
    // Non-square: √(448·112) = 224 → P4.
    expect(Array.from(mapLevels([10, 10, 458, 122], { kMin: 2, kMax: 5 }))).toEqual([2]);
  });
  it('adapted to 128 px scenes: s0 = 224·128/800 = 35.84 spreads 8-64 px digits over P2-P4', () => {
    const s0 = canonicalScaleFor(128);
    expect(s0).toBeCloseTo(35.84, 10);
    // 64: 4 + log2(64/35.84) = 4.84 → P4; 32: 3.84 → P3; 16: 2.84 → P2; 8: 1.84 → clamped to P2.
    expect(Array.from(mapLevels([64, 32, 16, 8].flatMap(box), { kMin: 2, kMax: 5, canonicalScale: s0 }))).toEqual([2, 1, 0, 0]);
  });
  it('names bad input', () => {
    expect(() => mapLevels([0, 0, 1], { kMin: 2, kMax: 5 })).toThrow(/mapLevels: 'boxes' must be flat x1,y1,x2,y2 values/);
    expect(() => mapLevels([], { kMin: 5, kMax: 2 })).toThrow(/'kMin' must be an integer at most kMax/);
  });
});
