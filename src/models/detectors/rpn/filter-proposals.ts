import { greedyNms } from '../../../core/nms/nms';
import { orderByScore } from '../../../core/nms/nms-input';
import { assertInRange, fail } from '../../../util/validate';

export interface ProposalOptions {
  /** Per level, keep the top this many anchors by objectness before NMS (torchvision: 2000 train / 1000 test). */
  preNmsTopN?: number;
  /** After NMS over all levels, keep this many (torchvision: 2000 train / 1000 test). */
  postNmsTopN?: number;
  /** IoU above which NMS drops the lower-scoring box of one level (0.7). */
  nmsThreshold?: number;
  /** Drop boxes whose width or height is below this many pixels after clipping (1e-3). */
  minSize?: number;
  /** Drop boxes whose objectness probability is below this (0). */
  scoreThreshold?: number;
}

export interface ProposalInputs {
  /** Decoded boxes of one image, flat x1,y1,x2,y2 per anchor, levels one after the other. */
  boxes: ArrayLike<number>;
  /** Objectness logits, one per anchor, same order. */
  objectness: ArrayLike<number>;
  /** Anchors per level, in order; they add up to the number of anchors. */
  levelSizes: number[];
  /** `[height, width]` of the image, to clip to. */
  imageSize: [number, number];
}

export interface Proposals {
  /** Kept boxes, flat x1,y1,x2,y2, best first. */
  boxes: Float32Array;
  /** Their objectness probabilities (sigmoid of the logits). */
  scores: Float32Array;
  /** The level each came from. */
  levels: Int32Array;
}

/**
 * One image's proposals as torchvision's RegionProposalNetwork.filter_proposals:
 * per level the top `preNmsTopN` anchors by objectness, sigmoid, clip to the
 * image, remove boxes smaller than `minSize`, drop those under
 * `scoreThreshold`, NMS per level (batched_nms with the level as the class),
 * then the best `postNmsTopN`. Plain JS: proposals carry no gradient, as in torchvision (detached).
 *
 * @example
 * filterProposals({boxes, objectness, levelSizes: [3072, 768], imageSize: [128, 128]}, {postNmsTopN: 300});
 */
export function filterProposals(inputs: ProposalInputs, options: ProposalOptions = {}): Proposals {
  const op = 'filterProposals';
  const { preNmsTopN = 1000, postNmsTopN = 1000, nmsThreshold = 0.7, minSize = 1e-3, scoreThreshold = 0 } = options;
  const { boxes, objectness, levelSizes, imageSize } = inputs;
  const n = objectness.length;
  if (!Number.isInteger(preNmsTopN) || preNmsTopN < 1) fail(op, 'preNmsTopN', 'a positive integer', String(preNmsTopN));
  if (!Number.isInteger(postNmsTopN) || postNmsTopN < 1) fail(op, 'postNmsTopN', 'a positive integer', String(postNmsTopN));
  if (postNmsTopN > n) fail(op, 'postNmsTopN', `at most the number of anchors (${n})`, String(postNmsTopN));
  assertInRange(op, 'nmsThreshold', nmsThreshold, 0, 1);
  assertInRange(op, 'scoreThreshold', scoreThreshold, 0, 1);
  if (typeof minSize !== 'number' || !(minSize >= 0)) fail(op, 'minSize', 'a non-negative number', String(minSize));
  if (boxes.length !== 4 * n) fail(op, 'boxes', `4 values per anchor (${4 * n})`, `${boxes.length}`);
  if (!Array.isArray(levelSizes) || levelSizes.reduce((a, b) => a + b, 0) !== n) fail(op, 'levelSizes', `anchors per level adding up to ${n}`, JSON.stringify(levelSizes));
  if (!Array.isArray(imageSize) || imageSize.length !== 2 || !imageSize.every((v) => v > 0)) fail(op, 'imageSize', 'a [height, width] pair of positive numbers', JSON.stringify(imageSize));
  const [H, W] = imageSize;
  // Top-k per level, so a level with many anchors (the finest) cannot crowd the others out before NMS.
  const candidates: number[] = [];
  const levelOf: number[] = [];
  let start = 0;
  levelSizes.forEach((size, level) => {
    const order = orderByScore(objectness, Int32Array.from({ length: size }, (_, i) => start + i));
    for (let k = 0; k < Math.min(preNmsTopN, size); k++) {
      candidates.push(order[k]);
      levelOf.push(level);
    }
    start += size;
  });
  const kept: number[] = [];
  const clipped = new Float64Array(candidates.length * 4);
  const prob = new Float64Array(candidates.length);
  candidates.forEach((a, c) => {
    const x1 = Math.min(Math.max(boxes[4 * a], 0), W);
    const y1 = Math.min(Math.max(boxes[4 * a + 1], 0), H);
    const x2 = Math.min(Math.max(boxes[4 * a + 2], 0), W);
    const y2 = Math.min(Math.max(boxes[4 * a + 3], 0), H);
    clipped.set([x1, y1, x2, y2], 4 * c);
    prob[c] = 1 / (1 + Math.exp(-objectness[a]));
    if (x2 - x1 >= minSize && y2 - y1 >= minSize && prob[c] >= scoreThreshold) kept.push(c);
  });
  // batched_nms: levels never suppress each other; merged best first.
  const survivors: number[] = [];
  for (let level = 0; level < levelSizes.length; level++) {
    const members = kept.filter((c) => levelOf[c] === level);
    survivors.push(...greedyNms(clipped, orderByScore(prob, members), nmsThreshold));
  }
  const final = orderByScore(prob, survivors).subarray(0, Math.min(postNmsTopN, survivors.length));
  const out: Proposals = { boxes: new Float32Array(final.length * 4), scores: new Float32Array(final.length), levels: new Int32Array(final.length) };
  final.forEach((c, i) => {
    out.boxes.set(clipped.subarray(4 * c, 4 * c + 4), 4 * i);
    out.scores[i] = prob[c];
    out.levels[i] = levelOf[c];
  });
  return out;
}
