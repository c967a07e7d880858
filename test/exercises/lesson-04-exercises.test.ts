import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import ex, { windowPartition } from '../../lessons/04-swin/exercises/window-partition';
import { swin } from '../../src/nn';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { prepareCases } from '../../src/exercises/exercise';
import { runCases } from '../../src/exercises/run-cases';

describe('exercise window-partition (Lesson 4)', () => {
  it('the solution passes every case and the starter does not', async () => {
    const cases = await prepareCases(ex);
    const good = await runCases(compileLearnerCode(ex.solution, ex.entry), cases, undefined, { tolerance: ex.tolerance });
    expect(good.filter((r) => !r.passed)).toEqual([]);
    const bad = await runCases(compileLearnerCode(ex.starter, ex.entry), cases, undefined, { tolerance: ex.tolerance });
    expect(bad.some((r) => !r.passed)).toBe(true);
  });

  it("the reference agrees with nn.swin.windowPartition (torchvision's window_partition) on every case", async () => {
    const base = tf.memory().numTensors;
    for (const c of ex.cases) {
      const [map, m] = c.args as [number[][], number];
      const t = tf.tensor4d(map.flat(), [1, map.length, map[0]!.length, 1]);
      const w = swin.windowPartition(t, m);
      const squeezed = w.squeeze([3]);
      expect(squeezed.arraySync()).toEqual(windowPartition(map, m));
      tf.dispose([t, w, squeezed]);
    }
    expect(tf.memory().numTensors).toBe(base);
  });
});
