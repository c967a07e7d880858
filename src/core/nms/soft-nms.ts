import * as tf from '@tensorflow/tfjs';
import { checkMaxOutputSize } from './nms';
import { type ScoresLike, readNmsInputs } from './nms-input';
import { plainBoxIou } from '../boxes/plain-iou';
import { assertInRange, assertOneOf, fail } from '../../util/validate';

export interface SoftNmsOptions {
  /** 'linear': s·(1 - IoU) when IoU >= iouThreshold; 'gaussian': s·exp(-IoU²/sigma). Default 'gaussian'. */
  method?: 'linear' | 'gaussian';
  /** Gaussian width (default 0.5, the paper's). */
  sigma?: number;
  /** Overlap from which on the linear method decays, inclusive (default 0.3, the paper's N_t). */
  iouThreshold?: number;
  /** Boxes whose (decayed) score falls below this are dropped (default 0.001). */
  scoreThreshold?: number;
  maxOutputSize?: number;
}

export interface SoftNmsResult {
  /** Kept box indices in the order they were selected. */
  indices: number[];
  /** Each kept box's decayed score at the moment it was selected. */
  scores: number[];
}

/**
 * Soft-NMS (Bodla et al. 2017, Algorithm 1): instead of dropping the boxes that
 * overlap the current best one, decay their scores by a function of the IoU and
 * keep going; a box leaves only when its score falls below `scoreThreshold`.
 * Ties in score pick the lower index. Boxes already below `scoreThreshold` at
 * the start are dropped too (the paper's code keeps them if nothing decays
 * them), so every returned score is >= scoreThreshold.
 *
 * @example
 * await softNms([[0, 0, 10, 10], [1, 1, 11, 11]], [0.9, 0.8], { method: 'linear', iouThreshold: 0.3 });
 * // {indices: [0, 1], scores: [0.9, 0.8·(1 - 81/119)]}
 */
export async function softNms(boxes: tf.Tensor | number[][], scores: ScoresLike, options: SoftNmsOptions = {}): Promise<SoftNmsResult> {
  const { method = 'gaussian', sigma = 0.5, iouThreshold = 0.3, scoreThreshold = 0.001 } = options;
  assertOneOf('softNms', 'method', method, ['linear', 'gaussian'] as const);
  if (typeof sigma !== 'number' || !(sigma > 0) || !Number.isFinite(sigma)) fail('softNms', 'sigma', 'a positive number', String(sigma));
  assertInRange('softNms', 'iouThreshold', iouThreshold, 0, 1);
  if (typeof scoreThreshold !== 'number' || !Number.isFinite(scoreThreshold)) fail('softNms', 'scoreThreshold', 'a finite number', String(scoreThreshold));
  const maxOut = checkMaxOutputSize('softNms', options.maxOutputSize);
  const { boxes: b, scores: s0, n } = await readNmsInputs('softNms', boxes, scores);

  const s = Float64Array.from(s0);
  let alive: number[] = [];
  for (let i = 0; i < n; i++) if (s[i] >= scoreThreshold) alive.push(i);
  const indices: number[] = [];
  const kept: number[] = [];
  while (alive.length > 0 && indices.length < maxOut) {
    let best = 0;
    for (let k = 1; k < alive.length; k++) {
      const i = alive[k];
      if (s[i] > s[alive[best]] || (s[i] === s[alive[best]] && i < alive[best])) best = k;
    }
    const m = alive[best];
    indices.push(m);
    kept.push(s[m]);
    const next: number[] = [];
    for (const j of alive) {
      if (j === m) continue;
      const iou = plainBoxIou(b, b, 4 * m, 4 * j);
      if (method === 'linear') {
        // Algorithm 1 of the paper decays from N_t on, inclusive (iou >= N_t), unlike hard NMS's strict >.
        if (iou >= iouThreshold) s[j] *= 1 - iou;
      } else s[j] *= Math.exp(-(iou * iou) / sigma);
      if (s[j] >= scoreThreshold) next.push(j);
    }
    alive = next;
  }
  return { indices, scores: kept };
}
