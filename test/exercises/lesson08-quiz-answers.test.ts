import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNumericAnswer, loadQuizSpecs, quizSpec, type QuizSpec } from '../helpers/quiz-specs';
import { cellAnchors, gridAnchors } from '../../src/core/index';
import { labelAnchors, roiGrids } from '../../src/models/index';

/**
 * Lesson 8's quiz numbers recomputed with the course's code (roiGrids = core.roiPool's bins, the core's anchors,
 * labelAnchors), read through the real quiz plugin, so a quiz that drifts from what the library does fails.
 */
let specs = new Map<string, QuizSpec>();
beforeAll(async () => {
  specs = await loadQuizSpecs('08-rcnn-family');
});

describe('lesson 8 quiz answers', () => {
  it('roipool-round: x1 = 21 px at stride 8 rounds to cell 3 = 24 px, a 3 px move', () => {
    const g = roiGrids([21, 0, 60, 40], { outputSize: 2, spatialScale: 1 / 8 });
    expectNumericAnswer(specs, 'roipool-round', g.quantised[0] * 8 - 21);
  });
  it('anchor-shape: size 32, ratio 4 → width 16', () => {
    const [[x1, , x2]] = cellAnchors([32], [4]);
    expectNumericAnswer(specs, 'anchor-shape', x2 - x1);
  });
  it('anchor-count: 16 x 16 cells x 9 anchors at stride 8 on 128 px', () => {
    const n = tf.tidy(() => gridAnchors({ featureSizes: [[16, 16]], strides: [8], cellAnchors: [cellAnchors([16, 20, 25], [0.5, 1, 2])] }).shape[0]);
    expectNumericAnswer(specs, 'anchor-count', n);
  });
  it('anchor-labels: IoU 0.5 ignored, 0.25 negative, a digit whose best anchor has IoU 0.6 still gets it positive', () => {
    // gt [0, 0, 10, 10]; anchors with IoU 0.5 ([0, 0, 10, 20]), 0.25 ([0, 0, 10, 40]) and 0.6 ([0, 0, 10, 10/0.6]).
    const l = Array.from(labelAnchors([[0, 0, 10, 20], [0, 0, 10, 40]], [[0, 0, 10, 10]]).labels);
    // anchor 0 is the digit's best anchor (IoU 0.5), so the low-quality rule makes it positive; next to a better one, 0.5 is ignored:
    const alone = Array.from(labelAnchors([[0, 0, 10, 20], [0, 0, 10, 10]], [[0, 0, 10, 10]]).labels);
    expect(alone).toEqual([-1, 1]);
    expect(l[1]).toBe(0);
    const rescued = Array.from(labelAnchors([[0, 0, 10, 10 / 0.6]], [[0, 0, 10, 10]]).labels);
    expect(rescued).toEqual([1]);
    expect(quizSpec(specs, 'anchor-labels').answer).toEqual([0, 1]);
  });
});
