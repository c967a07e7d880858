import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fitPowerLaw, scalingRun } from '../../src/train';

// Reference: the power-law form L = a·N^(−α) of Kaplan et al. 2020, fitted by least squares in log-log space.
describe('scaling laws', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('fitPowerLaw recovers an exact power law and reports r² = 1', () => {
    // y = 3·x^(−0.5): x = 1, 4, 16, 64 -> y = 3, 1.5, 0.75, 0.375
    const f = fitPowerLaw([1, 4, 16, 64].map((x) => ({ x, y: 3 * x ** -0.5 })));
    expect(f.alpha).toBeCloseTo(0.5, 10);
    expect(f.a).toBeCloseTo(3, 10);
    expect(f.r2).toBeCloseTo(1, 10);
    // Noisy points: slope of (log 1, log 2), (log 10, log 1), (log 100, log 0.7) by hand: alpha 0.2279.
    const g = fitPowerLaw([{ x: 1, y: 2 }, { x: 10, y: 1 }, { x: 100, y: 0.7 }]);
    const lx = [0, Math.log(10), Math.log(100)];
    const ly = [Math.log(2), 0, Math.log(0.7)];
    const mx = lx.reduce((a, b) => a + b) / 3;
    const my = ly.reduce((a, b) => a + b) / 3;
    const slope = lx.reduce((s, v, i) => s + (v - mx) * (ly[i] - my), 0) / lx.reduce((s, v) => s + (v - mx) ** 2, 0);
    expect(g.alpha).toBeCloseTo(-slope, 10);
    expect(g.r2).toBeLessThan(1);
    expect(() => fitPowerLaw([{ x: 2, y: 1 }])).toThrow(/'points' must be at least two points/);
  });

  it('scalingRun trains one cell of the grid: an MLP of the width on the first N digits for the fixed budget', async () => {
    const p = await scalingRun({ width: 4, trainSize: 64, steps: 12, batchSize: 16, testCount: 100, evaluateEvery: 4 });
    // params of flatten -> Dense(4) -> Dense(10): 784·4 + 4 + 4·10 + 10 = 3,190
    expect(p.params).toBe(3190);
    expect(p.steps).toBe(12);
    expect(p.testLoss).toBeLessThanOrEqual(p.finalTestLoss);
    expect(p.testLoss).toBeGreaterThan(0);
    await expect(scalingRun({ width: 4, trainSize: 9000, steps: 1 })).rejects.toThrow(/'trainSize' must be a whole number in \[1, 8000\]/);
  });
});
