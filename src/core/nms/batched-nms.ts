import * as tf from '@tensorflow/tfjs';
import { checkMaxOutputSize, greedyNms, type NmsOptions } from './nms';
import { type ScoresLike, orderByScore, readNmsInputs } from './nms-input';
import { assertInRange, fail } from '../../util/validate';

/**
 * Class-aware NMS, as torchvision.ops.batched_nms: boxes of different classes
 * never suppress each other. Runs the greedy loop once per class (same result
 * as torchvision's coordinate-offset trick) and merges the kept indices,
 * highest score first, equal scores lower index first.
 *
 * @example
 * await batchedNms([[0, 0, 10, 10], [1, 1, 11, 11]], [0.9, 0.8], [0, 1], 0.5); // [0, 1]
 */
export async function batchedNms(
  boxes: tf.Tensor | number[][],
  scores: ScoresLike,
  classIds: tf.Tensor | ArrayLike<number>,
  iouThreshold: number,
  options: NmsOptions = {},
): Promise<number[]> {
  assertInRange('batchedNms', 'iouThreshold', iouThreshold, 0, 1);
  const maxOut = checkMaxOutputSize('batchedNms', options.maxOutputSize);
  if (classIds instanceof tf.Tensor && classIds.rank !== 1) fail('batchedNms', 'classIds', 'a [N] tensor of class ids', `shape [${classIds.shape}]`);
  const [{ boxes: b, scores: s, n }, ids] = await Promise.all([
    readNmsInputs('batchedNms', boxes, scores),
    classIds instanceof tf.Tensor ? classIds.data() : classIds,
  ]);
  if (ids == null || ids.length !== n) fail('batchedNms', 'classIds', `one class id per box (${n})`, `${ids?.length} ids`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(ids[i])) fail('batchedNms', 'classIds', 'integers', `${ids[i]} at index ${i}`);
    const list = byClass.get(ids[i]);
    if (list) list.push(i);
    else byClass.set(ids[i], [i]);
  }
  const kept: number[] = [];
  for (const members of byClass.values()) kept.push(...greedyNms(b, orderByScore(s, members), iouThreshold, maxOut));
  return Array.from(orderByScore(s, kept).subarray(0, Math.min(kept.length, maxOut)));
}
