import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { fit } from '../../src/train/fit';
import {
  ACTIVATION_RECIPE, AUGMENTATION_RECIPE, AUX_LOSS_RECIPE, DROPOUT_RECIPE, dropoutExperiment, firstDigits,
  type ActivationResult, type AugmentationResult, type AuxLossResult, type DigitSet, type DropoutResult,
} from '../../src/train/experiments/index';
import { IDEA_KNOBS, IDEA_TEST_DIGITS } from '../../scripts/weights/lesson-02-ideas';

// Lesson 2's AlexNet and GoogLeNet sections open on the runs scripts/weights/lesson-02-ideas.ts shipped
// (weights/lesson-02/ideas/training.json), one per slider value, and their prose makes claims about them:
// AlexNet's paper (Krizhevsky et al. 2012, sections 3.1, 4.1, 4.2) for ReLU, augmentation and dropout,
// GoogLeNet's (Szegedy et al. 2014, section 5) for the auxiliary loss. These tests hold the shipped runs
// to those claims, and re-run the first 20 steps of one to show the file comes from today's recipe code.

interface Runs {
  testDigits: number;
  recipes: Record<string, unknown>;
  activation: ActivationResult[];
  dropout: DropoutResult[];
  augmentation: AugmentationResult[];
  auxLoss: AuxLossResult[];
}
const runs = JSON.parse(readFileSync('weights/lesson-02/ideas/training.json', 'utf8')) as Runs;
const end = <T>(xs: T[]) => xs.at(-1)!;

describe('Lesson 2 small runs: the shipped file is complete and current', () => {
  it('has one run for every slider value, made with the recipes the page retrains with', () => {
    expect(runs.testDigits).toBe(IDEA_TEST_DIGITS);
    expect(runs.recipes).toEqual(JSON.parse(JSON.stringify({ activation: ACTIVATION_RECIPE, dropout: DROPOUT_RECIPE, augmentation: AUGMENTATION_RECIPE, auxLoss: AUX_LOSS_RECIPE })));
    expect(runs.activation.map((r) => r.hiddenLayers)).toEqual(IDEA_KNOBS.hiddenLayers);
    expect(runs.dropout.map((r) => r.rate)).toEqual(IDEA_KNOBS.dropoutRate);
    expect(runs.augmentation.map((r) => r.maxShift)).toEqual(IDEA_KNOBS.maxShift);
    expect(runs.auxLoss.map((r) => r.weight)).toEqual(IDEA_KNOBS.auxWeight);
    for (const r of runs.activation) expect(end(r.curves).step).toBe(ACTIVATION_RECIPE.steps);
    for (const r of runs.dropout) expect(end(r.curves).step).toBe(DROPOUT_RECIPE.steps);
    for (const r of runs.augmentation) expect(end(r.curves).step).toBe(AUGMENTATION_RECIPE.steps);
    for (const r of runs.auxLoss) expect(end(r.gradients).step).toBe(AUX_LOSS_RECIPE.steps);
  });
});

describe('Lesson 2 small runs: the claims of the page hold on the shipped runs', () => {
  it('ReLU/tanh/sigmoid: all learn with one hidden layer; the sigmoid net stops learning first as layers are added, and its gradient shrinks most towards the input', () => {
    const at = (n: number) => runs.activation.find((r) => r.hiddenLayers === n)!;
    for (const a of ['relu', 'tanh', 'sigmoid']) expect(at(1).accuracy[a], a).toBeGreaterThan(0.7);
    // "from three or four layers on it stays at chance" (10 classes: 10%; 500 digits, so a few points of slack)
    for (const n of [4, 5, 6, 7, 8]) {
      expect(at(n).accuracy.sigmoid, `sigmoid, ${n} layers`).toBeLessThan(0.15);
      expect(at(n).accuracy.relu, `relu, ${n} layers`).toBeGreaterThan(0.5);
      expect(at(n).accuracy.tanh, `tanh, ${n} layers`).toBeGreaterThan(0.5);
    }
    // first layer's gradient / last layer's, before training: smallest for the sigmoid at every depth > 1
    const ratio = (r: ActivationResult, a: string) => {
      const g = r.gradients.filter((x) => x.activation === a);
      return g[0]!.norm / end(g).norm;
    };
    for (const r of runs.activation.filter((x) => x.hiddenLayers > 1)) {
      expect(ratio(r, 'sigmoid'), `${r.hiddenLayers} layers`).toBeLessThan(Math.min(ratio(r, 'relu'), ratio(r, 'tanh')));
    }
    // and it shrinks with depth: at 8 layers the sigmoid's first layer gets under a tenth of what it gets at 2
    expect(ratio(at(8), 'sigmoid')).toBeLessThan(0.1 * ratio(at(2), 'sigmoid'));
  });

  it('dropout: without it the net learns its 300 digits by heart; p = 0.5 narrows the train-test gap and raises the test accuracy; p = 0.9 starves it', () => {
    const at = (p: number) => end(runs.dropout.find((r) => Math.abs(r.rate - p) < 1e-9)!.curves);
    const gap = (p: number) => at(p).train - at(p).test;
    expect(at(0).train).toBe(1);
    expect(gap(0.5)).toBeLessThan(gap(0));
    expect(at(0.5).test).toBeGreaterThan(at(0).test);
    expect(at(0.9).train).toBeLessThan(at(0).train - 0.2);
    expect(at(0.9).test).toBeLessThan(at(0).test);
    // "the training accuracy rises more slowly" with dropout: at the first evaluation, below the net without it
    const first = (p: number) => runs.dropout.find((r) => Math.abs(r.rate - p) < 1e-9)!.curves[0]!;
    expect(first(0.5).train).toBeLessThan(first(0).train);
  });

  it('augmentation: random shifts buy accuracy on shifted test digits, and with 300 digits on the plain test set too', () => {
    const at = (m: number) => end(runs.augmentation.find((r) => r.maxShift === m)!.curves);
    expect(at(3).shifted).toBeGreaterThan(at(0).shifted + 0.1);
    expect(at(3).test).toBeGreaterThan(at(0).test);
  });

  it('auxiliary loss, as the page reports it: the auxiliary head stays near chance and the final head does not follow w at this scale', () => {
    // ln 10 = 2.303 is the cross-entropy of a uniform guess over 10 classes
    for (const r of runs.auxLoss) expect(Math.abs(end(r.losses).aux - Math.log(10)), `w = ${r.weight}`).toBeLessThan(0.15);
    const acc = runs.auxLoss.map((r) => r.accuracy);
    expect(Math.max(...acc) - Math.min(...acc)).toBeLessThan(0.08);
    // every run learned something on the final head (chance is 10%)
    for (const a of acc) expect(a).toBeGreaterThan(0.3);
  });
});

describe('Lesson 2 small runs: the shipped curves come from the recipe code', () => {
  let test: DigitSet;
  beforeAll(async () => {
    await useFastestNodeBackend();
    test = await firstDigits('test', IDEA_TEST_DIGITS);
  });
  afterAll(async () => {
    tf.dispose([test.xs, test.labels]);
    await tf.setBackend('cpu');
  });

  it('the first 20 steps of the dropout run (p = 0.5) re-run give the shipped first evaluation', async () => {
    const before = tf.memory().numTensors;
    const e = await dropoutExperiment({ rate: 0.5, test });
    try {
      await fit({ ...e.fitOptions, steps: DROPOUT_RECIPE.every });
      const [row] = (await e.result()).curves;
      const shipped = runs.dropout.find((r) => r.rate === 0.5)!.curves[0]!;
      expect(row!.step).toBe(shipped.step);
      // 300 and 500 digits: one digit is 0.0033 and 0.002; the same seeds on the same backend give the same digits
      expect(Math.abs(row!.train - shipped.train)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(row!.test - shipped.test)).toBeLessThanOrEqual(0.01);
    } finally {
      e.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
