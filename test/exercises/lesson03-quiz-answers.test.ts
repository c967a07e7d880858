import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNumericAnswer, loadQuizSpecs, type QuizSpec } from '../helpers/quiz-specs';
import { MultiHeadAttention, PatchEmbedding, scaledDotProductAttention } from '../../src/nn/index';

/**
 * Lesson 3's quiz numbers recomputed with the course's layers (as
 * quiz-answers-computed.test.ts does for lessons 1, 6, 7 and 12), read through
 * the real quiz plugin, so a quiz that drifts from what the library builds fails.
 */
let specs = new Map<string, QuizSpec>();
beforeAll(async () => {
  specs = await loadQuizSpecs('03-attention-vit');
});

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

const expectAccepted = (id: string, value: number): void => expectNumericAnswer(specs, id, value);

/** Output shape and parameter count of one layer applied to a symbolic input (no batch). */
function layerOn(layer: tf.layers.Layer, shape: number[]): { shape: (number | null)[]; params: number } {
  const input = tf.input({ shape });
  const out = layer.apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  try {
    return { shape: out.shape, params: model.countParams() };
  } finally {
    model.dispose();
  }
}

describe('lesson 3 quiz answers', () => {
  it('vit-b16-tokens: a 16x16 PatchEmbedding on 224x224 gives 196 patches, 197 with the class token', () => {
    // a small D keeps the check cheap; the number of tokens does not depend on D
    const { shape } = layerOn(new PatchEmbedding({ patchSize: 16, dim: 8 }), [224, 224, 3]);
    expect(shape).toEqual([null, 196, 8]);
    expectAccepted('vit-b16-tokens', shape[1]! + 1);
  });

  it('patch-embedding-params: PatchEmbedding(16, D = 768) on RGB has 16*16*3*768 + 768 parameters', () => {
    expectAccepted('patch-embedding-params', layerOn(new PatchEmbedding({ patchSize: 16, dim: 768 }), [32, 32, 3]).params);
  });

  it('mha-params: MultiHeadAttention with D = 768 and 12 heads counts 4*768^2 + 4*768, as with 1 head', () => {
    const twelve = layerOn(new MultiHeadAttention({ numHeads: 12 }), [5, 768]).params;
    const one = layerOn(new MultiHeadAttention({ numHeads: 1 }), [5, 768]).params;
    expect(one).toBe(twelve);
    expectAccepted('mha-params', twelve);
  });

  it('quadratic-cost: the attention weights at 448x448 have (785/197)^2 times the entries of those at 224x224', () => {
    const pairs = (side: number) => {
      const tokens = (side / 16) ** 2 + 1;
      // the weights tensor scaledDotProductAttention returns has one entry per query-key pair
      return tf.tidy(() => {
        const q = tf.zeros([tokens, 4]);
        return scaledDotProductAttention(q, q, q).weights.size;
      });
    };
    expectAccepted('quadratic-cost', pairs(448) / pairs(224));
  });
});
