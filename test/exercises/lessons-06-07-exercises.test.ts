import { describe, expect, it } from 'vitest';
import nmsExercise from '../../lessons/06-boxes-iou-nms/exercises/nms';
import apExercise from '../../lessons/07-evaluating-detectors/exercises/all-point-ap';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { prepareCases } from '../../src/exercises/exercise';
import { runCases } from '../../src/exercises/run-cases';

describe('exercise all-point-ap', () => {
  it('the reference gives the hand-worked values', async () => {
    const expected = (await prepareCases(apExercise)).map((c) => c.expected as number);
    // 5/9; 1; 0.5; dip: 1*.25 + .75*.5 = .625; empty 0; only FPs 0; 1*.6 + .8*.2 = .76
    [5 / 9, 1, 0.5, 0.625, 0, 0, 0.76].forEach((v, i) => expect(expected[i]).toBeCloseTo(v, 12));
  });
  it('a common mistake (no envelope: raw precision times the recall step) fails', async () => {
    const wrong = 'function allPointAp(p, r) { let ap = 0, prev = 0; for (let i = 0; i < p.length; i++) { ap += (r[i] - prev) * p[i]; prev = r[i]; } return ap; }';
    const results = await runCases(compileLearnerCode(wrong, 'allPointAp'), await prepareCases(apExercise), undefined, { tolerance: apExercise.tolerance });
    expect(results.some((r) => !r.passed)).toBe(true);
  });
});

describe('exercise nms (lesson 6)', () => {
  it('the reference gives the hand-worked kept lists', async () => {
    const expected = (await prepareCases(nmsExercise)).map((c) => c.expected);
    expect(expected).toEqual([[0, 2], [2, 1], [0, 2], [0, 1, 2], [0, 2], [0], []]);
  });
  it('a common mistake (suppressing with dropped boxes too) fails the chain case', async () => {
    const wrong = nmsExercise.solution.replace('kept.every((k) =>', 'order.slice(0, order.indexOf(i)).every((k) =>');
    const r = await runCases(compileLearnerCode(wrong, 'nms'), await prepareCases(nmsExercise), undefined, { tolerance: nmsExercise.tolerance });
    expect(r[2]!.passed).toBe(false);
  });
});
