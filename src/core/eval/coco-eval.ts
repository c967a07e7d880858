import { parseCoco, type CocoDetection, type CocoGroundTruth, type ParsedCoco } from './coco-format';
import { cocoBoxIou } from './coco-iou';
import { fail } from '../validate';

/**
 * COCO box evaluation, equal to pycocotools' COCOeval(iouType='bbox'):
 * evaluate() + accumulate() + summarize() with the default parameters.
 *
 * Speed comes from doing pycocotools' work once instead of once per
 * (category, area range, image): boxes are grouped by (image, category) once,
 * each group is matched for all area ranges and IoU thresholds in one pass,
 * and each category's detections are sorted by score once and reused for
 * every area range, maxDets and threshold.
 */

/** IoU thresholds .50:.05:.95, computed as numpy's linspace does (i * step + start). */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => (i === 9 ? 0.95 : i * ((0.95 - 0.5) / 9) + 0.5));
/** Recall points 0:.01:1, as numpy's linspace computes them. */
export const COCO_RECALL_THRESHOLDS: readonly number[] = Array.from({ length: 101 }, (_, i) => (i === 100 ? 1 : i * (1 / 100)));
/** all, small, medium, large, on the annotation's `area` field; bounds inclusive. */
export const COCO_AREA_RANGES: readonly (readonly [number, number])[] = [
  [0, 1e10],
  [0, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e10],
];
export const COCO_MAX_DETS: readonly number[] = [1, 10, 100];

export interface CocoEvalOptions {
  /** Also return the raw precision [T,R,K,A,M] and recall [T,K,A,M] arrays (for PR curves). */
  includePrecision?: boolean;
}

/** The 12 numbers pycocotools' summarize() prints, in its order. -1 where no ground truth exists. */
export interface CocoStats {
  AP: number;
  AP50: number;
  AP75: number;
  APs: number;
  APm: number;
  APl: number;
  AR1: number;
  AR10: number;
  AR100: number;
  ARs: number;
  ARm: number;
  ARl: number;
}

export interface CocoCategoryResult extends CocoStats {
  categoryId: number;
  name: string;
}

export interface CocoEvalResult {
  stats: CocoStats;
  perCategory: CocoCategoryResult[];
  /**
   * pycocotools' `eval['precision']`, row-major over shape [T=10, R=101, K, A=4, M=3]
   * (-1 where the category has no ground truth in that area range).
   */
  precision?: { data: Float64Array; shape: [number, number, number, number, number] };
  /** pycocotools' `eval['recall']`, row-major over shape [T, K, A, M]. */
  recall?: { data: Float64Array; shape: [number, number, number, number] };
}

const T = COCO_IOU_THRESHOLDS.length;
const R = COCO_RECALL_THRESHOLDS.length;
const A = COCO_AREA_RANGES.length;
const M = COCO_MAX_DETS.length;
const MAX_DET = COCO_MAX_DETS[M - 1];

/** Per-detection outcome at one (area range, IoU threshold). */
const FP = 0;
const TP = 1;
const IGNORED = 2;

/** What matching leaves for accumulation: the kept (top-100 per group) detections. */
interface Matched {
  /** Kept detections of group g are at [keptStart[g], keptStart[g+1]), best score first. */
  keptStart: Int32Array;
  score: Float64Array;
  /** Rank of the detection within its (image, category) group, for maxDets. */
  rank: Int32Array;
  /** outcome[(kept * A + a) * T + t] in {FP, TP, IGNORED}. */
  outcome: Uint8Array;
  /** npig[k * A + a]: non-ignored ground truths of category k in area range a. */
  npig: Int32Array;
}

/** Stable order of detections best-first (numpy argsort(-score, kind='mergesort')). */
function sortByScore(idx: Int32Array, score: Float64Array): Int32Array {
  return idx.sort((a, b) => score[b] - score[a] || a - b);
}

/** pycocotools' evaluateImg over every (image, category) group and area range. */
function matchAll(p: ParsedCoco): Matched {
  const { gt, dt } = p;
  const nCats = p.catIds.length;
  const groups = p.imgIds.length * nCats;
  const keptStart = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) keptStart[g + 1] = keptStart[g] + Math.min(dt.start[g + 1] - dt.start[g], MAX_DET);
  const nKept = keptStart[groups];
  const score = new Float64Array(nKept);
  const rank = new Int32Array(nKept);
  const outcome = new Uint8Array(nKept * A * T);
  const npig = new Int32Array(nCats * A);
  const maxIou = 1 - 1e-10;

  let ious = new Float64Array(0);
  const gtIg = new Uint8Array(A * 64);
  for (let g = 0; g < groups; g++) {
    const k = g % nCats;
    const g0 = gt.start[g];
    const G = gt.start[g + 1] - g0;
    let ig = gtIg;
    if (G * A > ig.length) ig = new Uint8Array(G * A);
    for (let a = 0; a < A; a++) {
      const [lo, hi] = COCO_AREA_RANGES[a];
      for (let j = 0; j < G; j++) {
        const ar = gt.area[g0 + j];
        const ignore = gt.crowd[g0 + j] === 1 || ar < lo || ar > hi;
        ig[a * G + j] = ignore ? 1 : 0;
        if (!ignore) npig[k * A + a]++;
      }
    }
    const d0 = dt.start[g];
    const Dall = dt.start[g + 1] - d0;
    if (Dall === 0) continue;
    const order = sortByScore(Int32Array.from({ length: Dall }, (_, i) => d0 + i), dt.score);
    const D = Math.min(Dall, MAX_DET);
    const k0 = keptStart[g];
    for (let i = 0; i < D; i++) {
      score[k0 + i] = dt.score[order[i]];
      rank[k0 + i] = i;
    }
    if (ious.length < D * G) ious = new Float64Array(D * G);
    for (let i = 0; i < D; i++) {
      const di = order[i];
      for (let j = 0; j < G; j++) {
        ious[i * G + j] = cocoBoxIou(
          dt.x[di], dt.y[di], dt.w[di], dt.h[di],
          gt.x[g0 + j], gt.y[g0 + j], gt.w[g0 + j], gt.h[g0 + j], gt.crowd[g0 + j] === 1,
        );
      }
    }
    const gtOrder = new Int32Array(G);
    const gtMatched = new Uint8Array(G);
    for (let a = 0; a < A; a++) {
      const [lo, hi] = COCO_AREA_RANGES[a];
      // Ground truths sorted ignore-last, stably (as pycocotools' mergesort).
      let n = 0;
      for (let j = 0; j < G; j++) if (!ig[a * G + j]) gtOrder[n++] = j;
      for (let j = 0; j < G; j++) if (ig[a * G + j]) gtOrder[n++] = j;
      for (let t = 0; t < T; t++) {
        gtMatched.fill(0);
        const thr = Math.min(COCO_IOU_THRESHOLDS[t], maxIou);
        for (let i = 0; i < D; i++) {
          let best = thr;
          let m = -1;
          for (let o = 0; o < G; o++) {
            const j = gtOrder[o];
            if (gtMatched[j] && !gt.crowd[g0 + j]) continue;
            // Once matched to a regular gt, stop at the first ignored one.
            if (m > -1 && !ig[a * G + m] && ig[a * G + j]) break;
            const v = ious[i * G + j];
            if (v < best) continue;
            best = v;
            m = j;
          }
          // pycocotools records the matched gt's id and later reads id 0 as "unmatched".
          const matchedId = m === -1 ? 0 : gt.id[g0 + m];
          let ignored = m !== -1 && ig[a * G + m] === 1;
          if (m !== -1) gtMatched[m] = 1;
          if (matchedId === 0) {
            const da = dt.area[order[i]];
            if (da < lo || da > hi) ignored = true;
          }
          outcome[((k0 + i) * A + a) * T + t] = ignored ? IGNORED : matchedId !== 0 ? TP : FP;
        }
      }
    }
  }
  return { keptStart, score, rank, outcome, npig };
}

/** pycocotools' accumulate(): precision at 101 recall points and final recall. */
function accumulate(p: ParsedCoco, mt: Matched): { precision: Float64Array; recall: Float64Array } {
  const K = p.catIds.length;
  const nImgs = p.imgIds.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const eps = 2.220446049250313e-16; // np.spacing(1)
  let rc = new Float64Array(0);
  let pr = new Float64Array(0);
  for (let k = 0; k < K; k++) {
    let n = 0;
    for (let i = 0; i < nImgs; i++) n += mt.keptStart[i * K + k + 1] - mt.keptStart[i * K + k];
    const all = new Int32Array(n);
    n = 0;
    for (let i = 0; i < nImgs; i++) {
      for (let d = mt.keptStart[i * K + k]; d < mt.keptStart[i * K + k + 1]; d++) all[n++] = d;
    }
    // One stable sort serves every maxDets: a prefix-by-rank filter keeps the order.
    sortByScore(all, mt.score);
    if (rc.length < n) {
      rc = new Float64Array(n);
      pr = new Float64Array(n);
    }
    for (let m = 0; m < M; m++) {
      const maxDet = COCO_MAX_DETS[m];
      const sel = maxDet >= MAX_DET ? all : all.filter((d) => mt.rank[d] < maxDet);
      for (let a = 0; a < A; a++) {
        const npig = mt.npig[k * A + a];
        if (npig === 0) continue;
        for (let t = 0; t < T; t++) {
          // Ignored detections leave tp and fp unchanged, so dropping them
          // leaves every value the 101-point lookup can read unchanged.
          let tp = 0;
          let fp = 0;
          let nd = 0;
          for (let s = 0; s < sel.length; s++) {
            const o = mt.outcome[(sel[s] * A + a) * T + t];
            if (o === IGNORED) continue;
            if (o === TP) tp++;
            else fp++;
            rc[nd] = tp / npig;
            pr[nd] = tp / (fp + tp + eps);
            nd++;
          }
          recall[((t * K + k) * A + a) * M + m] = tp / npig;
          for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
          // searchsorted(rc, recThrs, 'left'); recall points past the last detection stay 0.
          let i = 0;
          for (let r = 0; r < R; r++) {
            const thr = COCO_RECALL_THRESHOLDS[r];
            while (i < nd && rc[i] < thr) i++;
            precision[((((t * R + r) * K + k) * A + a) * M) + m] = i < nd ? pr[i] : 0;
          }
        }
      }
    }
  }
  return { precision, recall };
}

/** Mean of the entries > -1 (pycocotools' _summarize), or -1 when there are none. */
function meanValid(values: Float64Array, indices: Iterable<number>): number {
  let sum = 0;
  let n = 0;
  for (const i of indices) {
    const v = values[i];
    if (v > -1) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? -1 : sum / n;
}

function* precisionIndices(K: number, ts: number[], ks: number[], a: number, m: number): Generator<number> {
  for (const t of ts) for (let r = 0; r < R; r++) for (const k of ks) yield (((t * R + r) * K + k) * A + a) * M + m;
}

function* recallIndices(K: number, ts: number[], ks: number[], a: number, m: number): Generator<number> {
  for (const t of ts) for (const k of ks) yield ((t * K + k) * A + a) * M + m;
}

/** summarize() over categories `ks` (all of them for the headline stats, one for per-category rows). */
function summarize(precision: Float64Array, recall: Float64Array, K: number, ks: number[]): CocoStats {
  const all = Array.from({ length: T }, (_, t) => t);
  const ap = (ts: number[], a: number, m: number) => meanValid(precision, precisionIndices(K, ts, ks, a, m));
  const ar = (a: number, m: number) => meanValid(recall, recallIndices(K, all, ks, a, m));
  return {
    AP: ap(all, 0, 2),
    AP50: ap([0], 0, 2),
    AP75: ap([5], 0, 2),
    APs: ap(all, 1, 2),
    APm: ap(all, 2, 2),
    APl: ap(all, 3, 2),
    AR1: ar(0, 0),
    AR10: ar(0, 1),
    AR100: ar(0, 2),
    ARs: ar(1, 2),
    ARm: ar(2, 2),
    ARl: ar(3, 2),
  };
}

/**
 * COCO bounding-box AP/AR, equal to pycocotools' COCOeval (iouType 'bbox')
 * with default parameters: IoU .50:.05:.95, 101 recall points, area ranges
 * all/small/medium/large on the annotation's `area`, maxDets 1/10/100,
 * crowd ground truth ignored (a detection inside a crowd is neither TP nor FP).
 *
 * Inputs are pycocotools' JSON formats. Detections on an image missing from
 * `groundTruth.images` throw; detections or annotations of a category missing
 * from `groundTruth.categories` are left out, as pycocotools does.
 *
 * @example
 * const gt = {
 *   images: [{ id: 1 }],
 *   annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 50, 40], area: 2000, iscrowd: 0 }],
 *   categories: [{ id: 1, name: 'digit' }],
 * };
 * const { stats } = evaluateCoco(gt, [{ image_id: 1, category_id: 1, bbox: [10, 10, 50, 40], score: 0.9 }]);
 * stats.AP; // 1
 */
export function evaluateCoco(
  groundTruth: CocoGroundTruth,
  detections: CocoDetection[],
  options: CocoEvalOptions = {},
): CocoEvalResult {
  const op = 'evaluateCoco';
  if (typeof options !== 'object' || options === null) fail(op, 'options', 'an object', String(options));
  const parsed = parseCoco(op, groundTruth, detections);
  const matched = matchAll(parsed);
  const { precision, recall } = accumulate(parsed, matched);
  const K = parsed.catIds.length;
  const stats = summarize(precision, recall, K, Array.from({ length: K }, (_, k) => k));
  const perCategory = parsed.catIds.map((categoryId, k) => ({
    categoryId,
    name: parsed.catNames[k],
    ...summarize(precision, recall, K, [k]),
  }));
  const result: CocoEvalResult = { stats, perCategory };
  if (options.includePrecision) {
    result.precision = { data: precision, shape: [T, R, K, A, M] };
    result.recall = { data: recall, shape: [T, K, A, M] };
  }
  return result;
}
