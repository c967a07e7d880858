import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNumericAnswer, loadQuizSpecs, type QuizSpec } from '../helpers/quiz-specs';
import { profile } from '../../src/nn/index';

/**
 * Lesson 2's numeric quiz answers are not typed from memory: each is
 * recomputed here with tf.layers and the course's profiler, read through the
 * real quiz plugin, so a quiz that drifts from what the library computes fails.
 */
let specs = new Map<string, QuizSpec>();
beforeAll(async () => {
  specs = await loadQuizSpecs('02-classic-cnns');
});

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

const expectAccepted = (id: string, value: number): void => expectNumericAnswer(specs, id, value);

/** A chain of convolutions on an input of `shape`, no bias, 'same' padding. */
function convChain(shape: [number, number, number], layers: { filters: number; k: number }[]): tf.LayersModel {
  const input = tf.input({ shape });
  let x: tf.SymbolicTensor = input;
  for (const { filters, k } of layers) x = tf.layers.conv2d({ filters, kernelSize: k, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

describe("Lesson 2's quiz answers, recomputed", () => {
  it('vgg-two-3x3: two 3x3 convs 64 -> 64 without bias (and the 5x5 in its explanation)', () => {
    const two = convChain([8, 8, 64], [{ filters: 64, k: 3 }, { filters: 64, k: 3 }]);
    const one = convChain([8, 8, 64], [{ filters: 64, k: 5 }]);
    try {
      expectAccepted('vgg-two-3x3', two.countParams());
      expect(one.countParams()).toBe(102_400);
    } finally {
      two.dispose();
      one.dispose();
    }
  });

  it('bottleneck-macs: a 1x1 to 16 then a 5x5 to 32 on 28x28x192, counted by nn.profile; 120.4 M without the 1x1', () => {
    const withBottleneck = convChain([28, 28, 192], [{ filters: 16, k: 1 }, { filters: 32, k: 5 }]);
    const direct = convChain([28, 28, 192], [{ filters: 32, k: 5 }]);
    try {
      expectAccepted('bottleneck-macs', profile(withBottleneck, [28, 28, 192]).macs / 1e6);
      const prompt = specs.get('bottleneck-macs')!.prompt;
      expect(prompt).toContain(`${(profile(direct, [28, 28, 192]).macs / 1e6).toFixed(1)} M`);
    } finally {
      withBottleneck.dispose();
      direct.dispose();
    }
  });

  it("googlenet-loss: the paper's weighting L = final + 0.3 aux1 + 0.3 aux2 on the prompt's losses", () => {
    const s = specs.get('googlenet-loss')!;
    const [final, aux1, aux2] = [...(s.prompt ?? '').matchAll(/(\d+\.\d+)/g)].map((m) => Number(m[1]));
    expect([final, aux1, aux2]).toEqual([1.2, 2.0, 1.8]);
    expectAccepted('googlenet-loss', final! + 0.3 * aux1! + 0.3 * aux2!);
  });
});
