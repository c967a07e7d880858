import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import ex, { maskedMse } from '../../lessons/05-scale-self-supervision/exercises/masked-mse';
import { ssl } from '../../src/models';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { prepareCases } from '../../src/exercises/exercise';
import { runCases } from '../../src/exercises/run-cases';
import { expectNumericAnswer, loadQuizSpecs, type QuizSpec } from '../helpers/quiz-specs';

let specs = new Map<string, QuizSpec>();
beforeAll(async () => {
  specs = await loadQuizSpecs('05-scale-self-supervision');
});

describe('Lesson 5: exercise masked-mse and the numeric quiz answers', () => {
  it('the solution passes every case and the starter does not', async () => {
    const cases = await prepareCases(ex);
    const good = await runCases(compileLearnerCode(ex.solution, ex.entry), cases, undefined, { tolerance: ex.tolerance });
    expect(good.filter((r) => !r.passed)).toEqual([]);
    const bad = await runCases(compileLearnerCode(ex.starter, ex.entry), cases, undefined, { tolerance: ex.tolerance });
    expect(bad.some((r) => !r.passed)).toBe(true);
  });

  it("the reference agrees with models.ssl.maeLoss (MAE's forward_loss) on every case", () => {
    const base = tf.memory().numTensors;
    for (const c of ex.cases) {
      const [pred, target, mask] = c.args as [number[][], number[][], number[]];
      const l = tf.tidy(() => ssl.maeLoss(tf.tensor3d([pred]), tf.tensor3d([target]), tf.tensor2d([mask])));
      expect(l.dataSync()[0]).toBeCloseTo(maskedMse(pred, target, mask), 6);
      l.dispose();
    }
    expect(tf.memory().numTensors).toBe(base);
  });

  it('the numeric quiz answers, recomputed with the library', () => {
    expectNumericAnswer(specs, 'ssl-power-law', 10 ** -0.3);
    expectNumericAnswer(specs, 'ssl-mae-visible', ssl.visibleCount(49, 0.75));
    // teacher 1, student 0, λ 0.99 -> λ·1 + (1 − λ)·0
    const lambda = ssl.teacherMomentum(0, 10, 0.99);
    expectNumericAnswer(specs, 'ssl-dino-ema', lambda * 1 + (1 - lambda) * 0);
  });
});
