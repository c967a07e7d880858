import * as tf from '@tensorflow/tfjs';
import { type ScoresLike, orderByScore, readNmsInputsSync } from './nms-input';
import { plainBoxIou } from '../boxes/plain-iou';
import { assertInRange } from '../../util/validate';

/** One round of greedy NMS, as plain arrays a lesson can draw. */
export interface NmsStep {
  /** The box kept in this round: the highest-scoring candidate left. */
  kept: number;
  /** IoU of the kept box with every box (length N; 1 for itself, 0 for no overlap). */
  ious: number[];
  /** Candidates dropped in this round (IoU with `kept` > threshold), in score order. */
  suppressed: number[];
  /** Candidates still waiting after this round, in score order. */
  remaining: number[];
}

/**
 * Greedy NMS one round at a time, for animating it: each step keeps the best
 * remaining box and drops the candidates that overlap it more than
 * `iouThreshold`. The `kept` fields, in order, equal `nms(...)`'s result.
 * Synchronous (tensors are read with `dataSync`): meant for small examples.
 *
 * @example
 * nmsSteps([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5);
 * // [{kept: 0, suppressed: [1], remaining: [2], ious: [1, 0.68, 0]}, {kept: 2, suppressed: [], remaining: [], ...}]
 */
export function nmsSteps(boxes: tf.Tensor | number[][], scores: ScoresLike, iouThreshold: number): NmsStep[] {
  assertInRange('nmsSteps', 'iouThreshold', iouThreshold, 0, 1);
  const { boxes: b, scores: s, n } = readNmsInputsSync('nmsSteps', boxes, scores);
  let candidates = Array.from(orderByScore(s));
  const steps: NmsStep[] = [];
  while (candidates.length > 0) {
    const kept = candidates[0];
    const ious = Array.from({ length: n }, (_, j) => (j === kept ? 1 : plainBoxIou(b, b, 4 * kept, 4 * j)));
    const rest = candidates.slice(1);
    steps.push({
      kept,
      ious,
      suppressed: rest.filter((j) => ious[j] > iouThreshold),
      remaining: (candidates = rest.filter((j) => ious[j] <= iouThreshold)),
    });
  }
  return steps;
}
