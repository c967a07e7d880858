import * as tf from '@tensorflow/tfjs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExerciseDefinition } from '../../src/exercises/exercise';
import { exerciseFiles } from './discover';
import { grade } from './grade';

/**
 * Every exercise of every lesson, found on disk: its solution passes every
 * case and its starter fails at least one (a starter that passed would grade
 * a learner done before they wrote anything). Lesson-specific tests keep only
 * what is special (hand-worked reference values, the mistake an exercise is about).
 */
const files = exerciseFiles(process.cwd());

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

describe('lesson exercises found on disk', () => {
  it('finds the exercises of the written lessons', () => {
    // Guards the loop below against passing vacuously if lessons/ were not found.
    expect(files.map((f) => relative(process.cwd(), f))).toContain('lessons/06-boxes-iou-nms/exercises/iou.ts');
  });

  for (const file of files) {
    describe(relative(process.cwd(), file), () => {
      let ex: ExerciseDefinition;
      beforeEach(async () => {
        ex = ((await import(pathToFileURL(file).href)) as { default: ExerciseDefinition }).default;
        baseline = tf.memory().numTensors;
      });
      it('the solution passes every case', async () => {
        expect((await grade(ex, ex.solution)).filter((r) => !r.passed)).toEqual([]);
      });
      it('the starter does not pass', async () => {
        expect((await grade(ex, ex.starter)).some((r) => !r.passed)).toBe(true);
      });
    });
  }
});
