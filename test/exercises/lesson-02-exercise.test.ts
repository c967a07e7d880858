import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import exercise, { convLayerCost } from '../../lessons/02-classic-cnns/exercises/conv-layer-cost';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { prepareCases } from '../../src/exercises/exercise';
import { runCases } from '../../src/exercises/run-cases';
import { profile } from '../../src/nn/index';

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

describe('exercise conv-layer-cost (Lesson 2)', () => {
  it('the solution passes every case', async () => {
    const results = await runCases(compileLearnerCode(exercise.solution, exercise.entry), await prepareCases(exercise), undefined, { tolerance: exercise.tolerance });
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
  it('the starter does not pass', async () => {
    const results = await runCases(compileLearnerCode(exercise.starter, exercise.entry), await prepareCases(exercise), undefined, { tolerance: exercise.tolerance });
    expect(results.some((r) => !r.passed)).toBe(true);
  });
  it('a common mistake (groups ignored) fails the grouped cases only', async () => {
    const wrong = exercise.solution.replace('(cIn / groups)', 'cIn');
    expect(wrong).not.toBe(exercise.solution);
    const r = await runCases(compileLearnerCode(wrong, exercise.entry), await prepareCases(exercise), undefined, { tolerance: exercise.tolerance });
    expect(r.filter((c) => !c.passed).map((c) => c.label)).toEqual(['depthwise (groups = channels)', 'non-square, stride 2, 2 groups']);
  });
});

describe('convLayerCost reference against tf.js layers and nn.profile', () => {
  // Every case of the exercise, plus a few more. A grouped convolution with groups = cIn = cOut is tf's
  // DepthwiseConv2D (depthMultiplier 1); tfjs's Conv2D has no groups, so 1 < groups < cIn is checked by hand:
  // it is `groups` independent convolutions of cIn/groups -> cOut/groups channels.
  const cases: [number, number, number, number, number, number, number, number, boolean][] = [
    [224, 224, 64, 64, 3, 1, 1, 1, true],
    [224, 224, 3, 64, 11, 4, 2, 1, true],
    [224, 224, 3, 64, 7, 2, 3, 1, false],
    [28, 28, 192, 16, 1, 1, 0, 1, true],
    [56, 56, 32, 32, 3, 1, 1, 32, true],
    [31, 20, 8, 6, 3, 2, 0, 2, true],
    [13, 17, 5, 7, 5, 3, 2, 1, true],
  ];

  /** The layer as tf.js builds it, explicit zero padding in front (tf's 'same' pads asymmetrically at stride > 1). */
  function build(h: number, w: number, cIn: number, cOut: number, k: number, s: number, p: number, groups: number, bias: boolean): tf.LayersModel {
    const input = tf.input({ shape: [h, w, cIn] });
    const padded = tf.layers.zeroPadding2d({ padding: p }).apply(input) as tf.SymbolicTensor;
    let out: tf.SymbolicTensor;
    if (groups === 1) {
      out = tf.layers.conv2d({ filters: cOut, kernelSize: k, strides: s, useBias: bias }).apply(padded) as tf.SymbolicTensor;
    } else if (groups === cIn && cOut === cIn) {
      out = tf.layers.depthwiseConv2d({ kernelSize: k, strides: s, useBias: bias }).apply(padded) as tf.SymbolicTensor;
    } else {
      throw new Error(`build: tfjs's Conv2D has no groups; groups ${groups} is checked group by group below.`);
    }
    return tf.model({ inputs: input, outputs: out });
  }

  it.each(cases.filter((c) => c[7] === 1 || (c[7] === c[2] && c[2] === c[3])))('%i×%i×%i → %i, k %i s %i p %i groups %i bias %s: shape, parameters and MACs', (h, w, cIn, cOut, k, s, p, groups, bias) => {
    const model = build(h, w, cIn, cOut, k, s, p, groups, bias);
    try {
      const want = convLayerCost(h, w, cIn, cOut, k, s, p, groups, bias);
      expect(model.outputs[0]!.shape).toEqual([null, want.height, want.width, cOut]);
      expect(model.countParams()).toBe(want.params);
      expect(profile(model, [h, w, cIn]).macs).toBe(want.macs);
    } finally {
      model.dispose();
    }
  });

  it('a grouped convolution costs what its groups cost, each on cIn/groups channels', () => {
    // [31, 20, 8, 6, 3, 2, 0, 2]: two convolutions of 4 -> 3 channels on the same 31x20 map
    const [h, w, cIn, cOut, k, s, p, groups] = [31, 20, 8, 6, 3, 2, 0, 2];
    const one = build(h, w, cIn / groups, cOut / groups, k, s, p, 1, true);
    try {
      const part = profile(one, [h, w, cIn / groups]);
      const want = convLayerCost(h, w, cIn, cOut, k, s, p, groups, true);
      expect(groups * part.params).toBe(want.params);
      expect(groups * part.macs).toBe(want.macs);
      expect(one.outputs[0]!.shape.slice(1, 3)).toEqual([want.height, want.width]);
    } finally {
      one.dispose();
    }
  });
});
