import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { boxIou } from '../../src/core/index';
import { plainBoxIou } from '../../src/core/boxes/plain-iou';
import { randomBoxes } from './random-boxes';

describe('plainBoxIou (the one IoU of plain [x1,y1,x2,y2] arrays)', () => {
  it('gives hand-worked values: overlap 1x1 of two 2x2 boxes is 1 / (4 + 4 - 1) = 1/7; touching and disjoint give 0', () => {
    expect(plainBoxIou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 12);
    expect(plainBoxIou([0, 0, 2, 2], [0, 0, 2, 2])).toBe(1);
    expect(plainBoxIou([0, 0, 2, 2], [2, 0, 4, 2])).toBe(0);
    expect(plainBoxIou([0, 0, 1, 1], [5, 5, 6, 6])).toBe(0);
  });

  it('is 0, not NaN, for two zero-area boxes', () => {
    expect(plainBoxIou([1, 1, 1, 1], [1, 1, 1, 1])).toBe(0);
  });

  it('reads boxes at offsets of flat buffers', () => {
    const flat = [9, 9, 9, 9, 0, 0, 2, 2, 1, 1, 3, 3];
    expect(plainBoxIou(flat, flat, 4, 8)).toBeCloseTo(1 / 7, 12);
  });

  it('agrees with the tensor boxIou (torchvision.ops.box_iou) on random boxes', () => {
    const { boxes } = randomBoxes(20, 5);
    const before = tf.memory().numTensors;
    const m = tf.tidy(() => boxIou(boxes, boxes).arraySync());
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = 0; j < boxes.length; j++) expect(plainBoxIou(boxes[i], boxes[j])).toBeCloseTo(m[i][j], 5);
    }
  });
});
