import { describe, expect, it } from 'vitest';
import { apFromPrecisionRecall } from '../../src/core/eval/voc-ap';
import { allPointEnvelope, areaUnderSteps, elevenPointSamples } from '../../src/viz/pr-curve';

// The example of docs/api/core-eval.md: 3 ground truths, detections TP, FP, TP, FP.
const precision = [1, 0.5, 2 / 3, 0.5];
const recall = [1 / 3, 1 / 3, 2 / 3, 2 / 3];

describe('allPointEnvelope', () => {
  it('is the step line whose area is the all-point AP', () => {
    // steps: (0, 1/3] at max(1, 0.5, 2/3, 0.5) = 1; (1/3, 2/3] at 2/3; (2/3, 1] at 0 -> 1/3 + 2/9 = 5/9
    const env = allPointEnvelope(precision, recall);
    expect(env.map((p) => [p.recall, p.precision])).toEqual([
      [0, 1], [1 / 3, 1], [1 / 3, 2 / 3], [2 / 3, 2 / 3], [2 / 3, 0], [1, 0],
    ]);
    expect(areaUnderSteps(env)).toBeCloseTo(5 / 9, 12);
    expect(areaUnderSteps(env)).toBeCloseTo(apFromPrecisionRecall(precision, recall, 'allpoint'), 12);
  });
  it('agrees with apFromPrecisionRecall on random curves', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(rand() * 30);
      const positives = 1 + Math.floor(rand() * 10);
      let tp = 0;
      const p: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < n; i++) {
        if (tp < positives && rand() < 0.6) tp++;
        p.push(tp / (i + 1));
        r.push(tp / positives);
      }
      expect(areaUnderSteps(allPointEnvelope(p, r))).toBeCloseTo(apFromPrecisionRecall(p, r, 'allpoint'), 12);
      const eleven = elevenPointSamples(p, r);
      expect(eleven.reduce((s, q) => s + q.precision / 11, 0)).toBeCloseTo(apFromPrecisionRecall(p, r, '11point'), 12);
    }
  });
  it('an empty curve is a zero line', () => {
    expect(areaUnderSteps(allPointEnvelope([], []))).toBe(0);
  });
  it('rejects curves of different lengths', () => {
    expect(() => allPointEnvelope([1], [])).toThrow(/same length/);
  });
});

describe('elevenPointSamples', () => {
  it('samples the best precision at recall >= t', () => {
    // t = 0..0.3: 1 (0.3 reaches recall 1/3); t = 0.4..0.6: 2/3; t = 0.7..1: 0 -> mean 6/11
    const s = elevenPointSamples(precision, recall).map((q) => q.precision);
    expect(s).toEqual([1, 1, 1, 1, 2 / 3, 2 / 3, 2 / 3, 0, 0, 0, 0]);
  });
});
