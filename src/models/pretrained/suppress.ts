import * as tf from '@tensorflow/tfjs';
import type { Box } from './letterbox';

/**
 * Class-aware non-maximum suppression: boxes of different classes never
 * suppress each other. Returns the indices kept, best score first.
 *
 * The course core has no `batchedNms` yet, so this uses tfjs's own NMS with
 * torchvision's `batched_nms` trick: shifting each class's boxes by
 * `classId * (largest coordinate + 1)` puts classes in disjoint regions, so one
 * NMS call suppresses only within a class.
 *
 * @example
 * await classAwareNms([[0, 0, 10, 10], [1, 1, 10, 10], [0, 0, 10, 10]], [0.9, 0.8, 0.7], [2, 2, 0], 0.5);
 * // [0, 2]: box 1 overlaps box 0 (IoU 81/100 = 0.81 > 0.5) in the same class; box 2 is another class
 */
export async function classAwareNms(
  boxes: Box[],
  scores: number[],
  classIds: number[],
  iouThreshold: number,
  maxOutput = 1000,
): Promise<number[]> {
  if (boxes.length === 0) return [];
  let maxCoord = 0;
  for (const b of boxes) maxCoord = Math.max(maxCoord, Math.abs(b[0]), Math.abs(b[1]), Math.abs(b[2]), Math.abs(b[3]));
  const offset = maxCoord + 1;
  // tfjs wants [y1, x1, y2, x2]
  const shifted = boxes.map((b, i) => {
    const o = classIds[i] * offset;
    return [b[1] + o, b[0] + o, b[3] + o, b[2] + o];
  });
  const t = tf.tensor2d(shifted, [boxes.length, 4], 'float32');
  const s = tf.tensor1d(scores, 'float32');
  const keep = await tf.image.nonMaxSuppressionAsync(t, s, maxOutput, iouThreshold, -Infinity);
  const kept = Array.from(await keep.data());
  tf.dispose([t, s, keep]);
  return kept;
}
