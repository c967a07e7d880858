import * as tf from '@tensorflow/tfjs';
import { checkBoxValues } from '../boxes/box-input';
import { assertFiniteValues, fail } from '../../util/validate';

/** Boxes and scores for the NMS family as flat arrays on the CPU. */
export interface NmsArrays {
  /** x1,y1,x2,y2 per box, flat. */
  boxes: ArrayLike<number>;
  scores: ArrayLike<number>;
  n: number;
}

export type ScoresLike = tf.Tensor | ArrayLike<number>;

function flatBoxes(op: string, boxes: tf.Tensor | number[][] | ArrayLike<number>): ArrayLike<number> | tf.Tensor {
  if (boxes instanceof tf.Tensor) {
    if (boxes.rank !== 2 || boxes.shape[1] !== 4) fail(op, 'boxes', 'a [N,4] tensor of boxes', `shape [${boxes.shape}]`);
    return boxes;
  }
  if (!Array.isArray(boxes)) fail(op, 'boxes', 'a [N,4] tensor or number[][] of boxes', typeof boxes);
  const flat = new Float64Array(boxes.length * 4);
  (boxes as number[][]).forEach((b, i) => {
    if (!Array.isArray(b) || b.length !== 4) fail(op, 'boxes', 'a [N,4] array of boxes', `row ${i} = ${JSON.stringify(b)}`);
    flat.set(b, i * 4);
  });
  return flat;
}

function flatScores(op: string, scores: ScoresLike): ArrayLike<number> | tf.Tensor {
  if (scores instanceof tf.Tensor) {
    if (scores.rank !== 1) fail(op, 'scores', 'a [N] tensor of scores', `shape [${scores.shape}]`);
    return scores;
  }
  if (scores == null || typeof (scores as ArrayLike<number>).length !== 'number') fail(op, 'scores', 'a [N] tensor or array of scores', String(scores));
  return scores;
}

function check(op: string, boxes: ArrayLike<number>, scores: ArrayLike<number>): NmsArrays {
  const n = boxes.length / 4;
  if (scores.length !== n) fail(op, 'scores', `one score per box (${n})`, `${scores.length} scores`);
  checkBoxValues(op, 'boxes', boxes, { ordered: true });
  assertFiniteValues(op, 'scores', scores);
  return { boxes, scores, n };
}

/** Downloads (one `data()` each) and checks boxes and scores. */
export async function readNmsInputs(op: string, boxes: tf.Tensor | number[][], scores: ScoresLike): Promise<NmsArrays> {
  const b = flatBoxes(op, boxes);
  const s = flatScores(op, scores);
  const [bv, sv] = await Promise.all([b instanceof tf.Tensor ? b.data() : b, s instanceof tf.Tensor ? s.data() : s]);
  return check(op, bv as ArrayLike<number>, sv as ArrayLike<number>);
}

/** The synchronous twin of `readNmsInputs` (`dataSync` for tensors), for step-by-step lessons. */
export function readNmsInputsSync(op: string, boxes: tf.Tensor | number[][], scores: ScoresLike): NmsArrays {
  const b = flatBoxes(op, boxes);
  const s = flatScores(op, scores);
  return check(op, b instanceof tf.Tensor ? b.dataSync() : b, s instanceof tf.Tensor ? s.dataSync() : s);
}

/** Indices sorted by score, highest first; equal scores keep the lower index first. */
export function orderByScore(scores: ArrayLike<number>, indices?: ArrayLike<number>): Int32Array {
  const order = indices ? Int32Array.from(indices) : Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

