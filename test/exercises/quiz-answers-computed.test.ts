import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { receptiveField } from '../../lessons/01-convolution/exercises/receptive-field';
import { convOutputSize } from '../../lessons/01-convolution/exercises/conv-output-size';
import { vocVerdicts } from '../../lessons/07-evaluating-detectors/exercises/greedy-matching';
import { expectNumericAnswer, loadQuizSpecs, quizSpec, type QuizSpec } from '../helpers/quiz-specs';
import { CENTERNET_INPUT_SIZE } from '../../src/models/pretrained/centernet';
import { letterboxTransform } from '../../src/models/pretrained/letterbox';
import { batchedNms, boxIou, encodeBoxes, evaluateVoc, nms, softNms } from '../../src/core/index';

/**
 * The numbers in the self-checks of lessons 1, 6, 7 and 12 (issue 18) are not
 * typed from memory: each quiz's answer is recomputed here with the course's
 * own code (or tf.layers), through the real quiz plugin, so a quiz that drifts
 * from what the library computes fails.
 */
const root = process.cwd();
const specs = new Map<string, QuizSpec>();

beforeAll(async () => {
  for (const lesson of ['01-convolution', '06-boxes-iou-nms', '07-evaluating-detectors', '12-real-detector']) {
    await loadQuizSpecs(lesson, specs, lesson.slice(0, 2));
  }
});

let baseline = 0;
beforeEach(() => {
  baseline = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(baseline);
});

const quiz = (key: string): QuizSpec => quizSpec(specs, key);
const expectAccepted = (key: string, value: number): void => expectNumericAnswer(specs, key, value);

/** Parameters of one tf.layers.conv2d, counted by tfjs itself. */
function convParams(k: number, cin: number, cout: number): number {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [k + 2, k + 2, cin], filters: cout, kernelSize: k })] });
  try {
    return model.countParams();
  } finally {
    model.dispose();
  }
}

describe('lesson 1 quiz answers', () => {
  it('conv-params: the right choice is the count of a real 3×3, 64 → 128 conv layer', () => {
    const s = quiz('01/conv-params');
    expect(Number(s.choices![s.answer as number]!.replace(/,/g, ''))).toBe(convParams(3, 64, 128));
  });
  it('one-by-one: a 1×1, 256 → 64 layer', () => {
    expectAccepted('01/one-by-one', convParams(1, 256, 64));
  });
  it('same-padding-even-k: the right choice is the width tf.conv2d gives with k = 4, p = 1', () => {
    const s = quiz('01/same-padding-even-k');
    const width = tf.tidy(() => tf.conv2d(tf.zeros([1, 32, 32, 1]) as tf.Tensor4D, tf.ones([4, 4, 1, 1]) as tf.Tensor4D, 1, 1).shape[2]);
    expect(width).toBe(convOutputSize(32, 4, 1, 1, 1));
    expect(s.choices![s.answer as number]!.startsWith(`'${width}:`) || s.choices![s.answer as number]!.startsWith(`${width}:`)).toBe(true);
  });
  it('resnet-stem-size, stacked-3x3-rf, strided-rf: the formula and the recurrence', () => {
    expectAccepted('01/resnet-stem-size', convOutputSize(224, 7, 2, 3, 1));
    expectAccepted('01/stacked-3x3-rf', receptiveField([[3, 1], [3, 1]]));
    expectAccepted('01/strided-rf', receptiveField([[3, 2], [3, 1]]));
  });
});

describe('lesson 6 quiz answers', () => {
  it('soft-nms-decay: the decayed score softNms gives a box at IoU 0.5 with the kept one', async () => {
    // [0, 0, 10, 5] covers half of [0, 0, 10, 10]: IoU 50 / 100 = 0.5
    expect(tf.tidy(() => boxIou([[0, 0, 10, 10]], [[0, 0, 10, 5]]).arraySync()[0]![0])).toBeCloseTo(0.5, 9);
    const r = await softNms([[0, 0, 10, 10], [0, 0, 10, 5]], [0.9, 0.8], { method: 'gaussian', sigma: 0.5 });
    expect(r.indices).toEqual([0, 1]);
    expectAccepted('06/soft-nms-decay', r.scores[1]!);
  });
  it('class-aware-nms: nms drops the "7", batchedNms keeps both', async () => {
    const boxes = [[0, 0, 10, 10], [0, 0, 10, 6]]; // IoU 60 / 100 = 0.6
    const plain = await nms(boxes, [0.9, 0.8], 0.5);
    const aware = await batchedNms(boxes, [0.9, 0.8], [1, 7], 0.5);
    expect([plain, aware]).toEqual([[0], [0, 1]]);
    const s = quiz('06/class-aware-nms');
    expect(s.choices![s.answer as number]).toContain('`nms` keeps only the "1"; `batchedNms` keeps both');
  });
  it('anchor-ratio and box-coder-weights', () => {
    expectAccepted('06/anchor-ratio', Math.sqrt(1024 / 2));
    const dw = tf.tidy(() => encodeBoxes([[0, 0, 20, 10]], [[0, 0, 10, 10]], [10, 10, 5, 5]).arraySync()[0]![2]!);
    expectAccepted('06/box-coder-weights', dw);
  });
});

describe('lesson 7 quiz answers', () => {
  it('ranked-row: evaluateVoc\'s precision at rank 4 of TP, TP, FP, TP, FP over 4 digits', () => {
    // four digits far apart; detections on digits 0, 1, nothing, 2, nothing, scores falling
    const digits = [[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10], [60, 0, 70, 10]];
    const dets = [[0, 0, 10, 10, 0.9], [20, 0, 30, 10, 0.8], [0, 40, 10, 50, 0.7], [40, 0, 50, 10, 0.6], [20, 40, 30, 50, 0.5]];
    expect(vocVerdicts(dets, digits, 0.5)).toEqual(['TP', 'TP', 'FP', 'TP', 'FP']);
    const gt = { images: [{ id: 1 }], categories: [{ id: 1, name: 'digit' }], annotations: digits.map((b, j) => ({ id: j + 1, image_id: 1, category_id: 1, bbox: [b[0]!, b[1]!, 10, 10], area: 100, iscrowd: 0 })) };
    const { precision } = evaluateVoc(gt, dets.map((d) => ({ image_id: 1, category_id: 1, bbox: [d[0]!, d[1]!, 10, 10], score: d[4]! }))).perCategory[0]!;
    expectAccepted('07/ranked-row', precision[3]!);
  });
  it('voc-duplicate: the IoUs of the prompt, and the devkit calls B a false positive', () => {
    const [g0, g1, b] = [[0, 0, 10, 10], [5, 0, 15, 10], [2, 0, 12, 10]];
    const iou = tf.tidy(() => boxIou([b!], [g0!, g1!]).arraySync()[0]!);
    expect(iou.map((v) => +v.toFixed(2))).toEqual([0.67, 0.54]);
    expect(vocVerdicts([[...g0!, 0.9], [...b!, 0.8]], [g0!, g1!], 0.5)).toEqual(['TP', 'FP']);
    const s = quiz('07/voc-duplicate');
    expect(s.choices![s.answer as number]).toMatch(/^A false positive/);
  });
  it('map-mean: the mean over the classes with ground truth', () => {
    expectAccepted('07/map-mean', (0.9 + 0.6 + 0.75) / 3);
  });
});

describe('lesson 12 quiz answers', () => {
  it('letterbox-pad and letterbox-back: the 512 of the prompts is CenterNet\'s input side, and the answers are letterboxTransform\'s', () => {
    const S = CENTERNET_INPUT_SIZE;
    for (const id of ['12/letterbox-pad', '12/letterbox-back']) expect(quiz(id).prompt).toContain(`${S}×${S}`);
    const t = letterboxTransform(1920, 1080, S);
    expectAccepted('12/letterbox-pad', t.padY);
    // the box edge at v = 200 in the input, back to the photo's rows
    expectAccepted('12/letterbox-back', (200 - t.padY) / t.scaleY);
  });
  it('nanodet-cells: the cells of the stride 8, 16 and 32 grids on 416 px', () => {
    expectAccepted('12/nanodet-cells', [8, 16, 32].reduce((n, s) => n + (416 / s) ** 2, 0));
  });
  it('nms-threshold and the summary say NMS suppresses, never merges', () => {
    const text = readFileSync(join(root, 'lessons/12-real-detector/self-check.md'), 'utf8') + readFileSync(join(root, 'lessons/12-real-detector/index.md'), 'utf8');
    expect(text).not.toMatch(/\bmerges (more|neighbouring)/);
  });
});
