import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { disposeOptimizer, makeOptimizer, setLearningRate } from '../../src/train/optimizers';
import { makeSchedule } from '../../src/train/schedules';
import { trainOnFastestBackend } from '../helpers/training-backend';

trainOnFastestBackend();

// Formulas of PyTorch's StepLR and CosineAnnealingLR (eta_min + (lr - eta_min)(1 + cos(pi t/T))/2).
describe('makeSchedule', () => {
  it('constant and number specs', () => {
    expect(makeSchedule(0.1)(57, 100)).toBe(0.1);
    expect(makeSchedule({ type: 'constant', lr: 0.2 })(3, 10)).toBe(0.2);
  });

  it('step: lr * gamma^floor(step / stepSize)', () => {
    const s = makeSchedule({ type: 'step', lr: 1, stepSize: 10, gamma: 0.5 });
    // steps 0..9 -> 1, 10..19 -> 0.5, 25 -> 0.25
    expect([s(0, 0), s(9, 0), s(10, 0), s(25, 0)]).toEqual([1, 1, 0.5, 0.25]);
  });

  it('cosine: half-way is the mean of lr and minLr', () => {
    const s = makeSchedule({ type: 'cosine', lr: 0.1, minLr: 0.02 });
    expect(s(0, 100)).toBeCloseTo(0.1, 12);
    // 0.02 + 0.08 * (1 + cos(pi/2)) / 2 = 0.06
    expect(s(50, 100)).toBeCloseTo(0.06, 12);
    expect(s(100, 100)).toBeCloseTo(0.02, 12);
  });

  it('warmup-cosine: linear ramp then cosine over the rest', () => {
    const s = makeSchedule({ type: 'warmup-cosine', lr: 1, warmupSteps: 4 });
    // warmup: (step+1)/4
    expect([s(0, 14), s(1, 14), s(3, 14)]).toEqual([0.25, 0.5, 1]);
    // after warmup: t = (step-4)/(14-4); step 9 -> t = 0.5 -> 0.5
    expect(s(4, 14)).toBeCloseTo(1, 12);
    expect(s(9, 14)).toBeCloseTo(0.5, 12);
  });

  it('names the bad argument', () => {
    expect(() => makeSchedule({ type: 'nope' } as never)).toThrow(/makeSchedule: 'type'/);
    expect(() => makeOptimizer('rmsprop' as never, 0.1)).toThrow(/makeOptimizer: 'name'/);
  });
});

describe('setLearningRate', () => {
  it('changes the step size of sgd, momentum and adam without leaking', () => {
    const base = tf.memory().numTensors;
    for (const name of ['sgd', 'momentum', 'adam'] as const) {
      const opt = makeOptimizer(name, 1);
      setLearningRate(opt, 0.5);
      expect((opt as unknown as { learningRate: number }).learningRate).toBe(0.5);
      disposeOptimizer(opt);
    }
    // sgd: w <- w - lr * grad; with lr 0.5 and d(w^2)/dw = 2w at w=1: 1 - 0.5*2 = 0
    const w = tf.tidy(() => tf.variable(tf.scalar(1)));
    const opt = makeOptimizer('sgd', 1);
    setLearningRate(opt, 0.5);
    opt.minimize(() => tf.square(w) as tf.Scalar, false, [w]);
    expect(w.dataSync()[0]).toBe(0);
    disposeOptimizer(opt);
    w.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
