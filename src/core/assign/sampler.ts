import * as tf from '@tensorflow/tfjs';
import { BELOW_LOW_THRESHOLD } from './matcher';
import { sampleWithoutReplacement, seededRandom } from '../../util/random';
import { assertInRange, fail } from '../../util/validate';

export interface SamplerOptions {
  /** How many predictions to train on per image (e.g. 256 for an RPN, 512 for a box head). */
  batchSizePerImage: number;
  /** Target share of positives (e.g. 0.5 for an RPN, 0.25 for a box head). */
  positiveFraction: number;
  /** Seed for the draw; the same seed gives the same sample. Without one, Math.random is used. */
  seed?: number;
}

export interface SampledIndices {
  /** Chosen positive indices, ascending. */
  positive: number[];
  /** Chosen negative indices, ascending. */
  negative: number[];
}

/**
 * Picks a balanced training batch as torchvision's
 * BalancedPositiveNegativeSampler: labels >= 1 are positives, 0 negatives,
 * -1 ignored; take at most batchSize·positiveFraction positives at random, then
 * fill the rest of the batch with random negatives (fewer if there are not enough).
 *
 * @example
 * sampleBalanced([1, 0, 0, -1, 1, 0], { batchSizePerImage: 4, positiveFraction: 0.5, seed: 1 });
 * // {positive: [0, 4], negative: two of [1, 2, 5]}
 */
export function sampleBalanced(labels: tf.Tensor | ArrayLike<number>, options: SamplerOptions): SampledIndices {
  const op = 'sampleBalanced';
  const { batchSizePerImage, positiveFraction, seed } = options ?? ({} as SamplerOptions);
  if (!Number.isInteger(batchSizePerImage) || batchSizePerImage < 0) fail(op, 'batchSizePerImage', 'a non-negative integer', String(batchSizePerImage));
  assertInRange(op, 'positiveFraction', positiveFraction, 0, 1);
  if (seed !== undefined && !Number.isFinite(seed)) fail(op, 'seed', 'a finite number', String(seed));
  if (labels instanceof tf.Tensor && labels.rank !== 1) fail(op, 'labels', 'a [N] tensor of labels', `shape [${labels.shape}]`);
  const l = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < l.length; i++) {
    if (Number.isNaN(l[i])) fail(op, 'labels', 'numbers (>= 1 positive, 0 negative, -1 ignore)', `NaN at index ${i}`);
    if (l[i] >= 1) pos.push(i);
    else if (l[i] === 0) neg.push(i);
  }
  const numPos = Math.min(pos.length, Math.floor(batchSizePerImage * positiveFraction));
  const numNeg = Math.min(neg.length, batchSizePerImage - numPos);
  const rand = seed === undefined ? Math.random : seededRandom(seed);
  const byIndex = (a: number, b: number) => a - b;
  return {
    positive: sampleWithoutReplacement(pos, numPos, rand).sort(byIndex),
    negative: sampleWithoutReplacement(neg, numNeg, rand).sort(byIndex),
  };
}

/**
 * Sampler labels from `matchByIou` results, as torchvision's RPN does:
 * a matched gt index → 1, BELOW_LOW_THRESHOLD → 0 (background), BETWEEN_THRESHOLDS → -1 (ignored).
 *
 * @example
 * labelsFromMatches([3, -1, -2, 0]); // [1, 0, -1, 1]
 */
export function labelsFromMatches(matches: ArrayLike<number>): number[] {
  return Array.from(matches, (m) => (m >= 0 ? 1 : m === BELOW_LOW_THRESHOLD ? 0 : -1));
}
