import { parseCoco, type CocoDetection, type CocoGroundTruth, type ParsedCoco } from './coco-format';
import { cocoBoxIou } from './coco-iou';
import { fail } from '../../util/validate';
import { numpyPairwiseSum } from './numpy-sum';

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

const AREA_LO = Float64Array.from(COCO_AREA_RANGES, (r) => r[0]);
const AREA_HI = Float64Array.from(COCO_AREA_RANGES, (r) => r[1]);
/** pycocotools starts each match at min(t, 1 - 1e-10). */
const MATCH_THRESHOLDS = Float64Array.from(COCO_IOU_THRESHOLDS, (t) => Math.min(t, 1 - 1e-10));

/** Per-detection outcome at one (area range, IoU threshold). */
const FP = 0;
const TP = 1;
const IGNORED = 2;
const ALL_FP = 0;
const ALL_IGNORED = 1;
const MIXED = 2;

/** What matching leaves for accumulation: the kept (top-100 per group) detections. */
interface Matched {
  /** Kept detections of group g are at [keptStart[g], keptStart[g+1]), best score first. */
  keptStart: Int32Array;
  score: Float64Array;
  /** Rank of the detection within its (image, category) group, for maxDets. */
  rank: Int32Array;
  /** outcome[(kept * A + a) * T + t] in {FP, TP, IGNORED}. */
  outcome: Uint8Array;
  /** summary[kept * A + a]: ALL_FP, ALL_IGNORED or MIXED over the thresholds, to skip uniform rows. */
  summary: Uint8Array;
  /** npig[k * A + a]: non-ignored ground truths of category k in area range a. */
  npig: Int32Array;
}

/**
 * Stable order of detections best-first (numpy argsort(-score, kind='mergesort')):
 * `idx` holds ascending indices into `score`; ties keep that order.
 */
function sortByScore(idx: Int32Array, score: Float64Array, n = idx.length): Int32Array {
  if (n > 32) return idx.subarray(0, n).sort((a, b) => score[b] - score[a] || a - b);
  // Most (image, category) groups hold a handful of detections: insertion sort, no closure.
  for (let i = 1; i < n; i++) {
    const v = idx[i];
    const sv = score[v];
    let j = i - 1;
    while (j >= 0 && score[idx[j]] < sv) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
  return idx;
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
  const summary = new Uint8Array(nKept * A);
  const npig = new Int32Array(nCats * A);

  let ious = new Float64Array(256);
  let ig = new Uint8Array(A * 64);
  let gtOrder = new Int32Array(64);
  let gtMatched = new Uint8Array(64);
  let order = new Int32Array(256);
  for (let g = 0; g < groups; g++) {
    const k = g % nCats;
    const g0 = gt.start[g];
    const G = gt.start[g + 1] - g0;
    if (G * A > ig.length) ig = new Uint8Array(G * A * 2);
    if (G > gtOrder.length) {
      gtOrder = new Int32Array(G * 2);
      gtMatched = new Uint8Array(G * 2);
    }
    for (let a = 0; a < A; a++) {
      const lo = AREA_LO[a];
      const hi = AREA_HI[a];
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
    if (Dall > order.length) order = new Int32Array(Dall * 2);
    for (let i = 0; i < Dall; i++) order[i] = d0 + i;
    sortByScore(order, dt.score, Dall);
    const D = Math.min(Dall, MAX_DET);
    const k0 = keptStart[g];
    for (let i = 0; i < D; i++) {
      score[k0 + i] = dt.score[order[i]];
      rank[k0 + i] = i;
    }
    if (G === 0) {
      // Nothing to match: each detection is a false positive, or ignored outside the area range.
      for (let i = 0; i < D; i++) {
        const da = dt.area[order[i]];
        for (let a = 0; a < A; a++) {
          const ignored = da < AREA_LO[a] || da > AREA_HI[a];
          outcome.fill(ignored ? IGNORED : FP, ((k0 + i) * A + a) * T, ((k0 + i) * A + a + 1) * T);
          summary[(k0 + i) * A + a] = ignored ? ALL_IGNORED : ALL_FP;
        }
      }
      continue;
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
    for (let a = 0; a < A; a++) {
      const lo = AREA_LO[a];
      const hi = AREA_HI[a];
      // Ground truths sorted ignore-last, stably (as pycocotools' mergesort).
      let n = 0;
      for (let j = 0; j < G; j++) if (!ig[a * G + j]) gtOrder[n++] = j;
      for (let j = 0; j < G; j++) if (ig[a * G + j]) gtOrder[n++] = j;
      for (let t = 0; t < T; t++) {
        gtMatched.fill(0, 0, G);
        const thr = MATCH_THRESHOLDS[t];
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
  for (let d = 0; d < nKept * A; d++) {
    let allFp = true;
    let allIgnored = true;
    for (let t = d * T; t < (d + 1) * T; t++) {
      if (outcome[t] !== FP) allFp = false;
      if (outcome[t] !== IGNORED) allIgnored = false;
    }
    summary[d] = allFp ? ALL_FP : allIgnored ? ALL_IGNORED : MIXED;
  }
  return { keptStart, score, rank, outcome, summary, npig };
}

const minTpCache = new Map<number, Int32Array>();

/**
 * For each recall point r, the fewest true positives c with c / npig >= r
 * (the same float division pycocotools' recall uses), so searchsorted can be
 * answered by counting true positives.
 */
function minTruePositives(npig: number): Int32Array {
  let table = minTpCache.get(npig);
  if (table) return table;
  table = new Int32Array(R);
  let c = 0;
  for (let r = 0; r < R; r++) {
    while (c / npig < COCO_RECALL_THRESHOLDS[r]) c++;
    table[r] = c;
  }
  if (minTpCache.size < 4096) minTpCache.set(npig, table);
  return table;
}

/** pycocotools' accumulate(): precision at 101 recall points and final recall. */
function accumulate(p: ParsedCoco, mt: Matched): { precision: Float64Array; recall: Float64Array } {
  const K = p.catIds.length;
  const nImgs = p.imgIds.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const eps = 2.220446049250313e-16; // np.spacing(1)
  const AT = A * T;
  const rStride = K * A * M;
  const tpCount = new Int32Array(AT);
  const fpCount = new Int32Array(AT);
  const fpBase = new Int32Array(A);
  let all = new Int32Array(1024);
  let sel = new Int32Array(1024);
  let fpAtTp = new Int32Array(AT * 64);
  let prMax = new Float64Array(64);
  for (let k = 0; k < K; k++) {
    let n = 0;
    for (let i = 0; i < nImgs; i++) n += mt.keptStart[i * K + k + 1] - mt.keptStart[i * K + k];
    if (n > all.length) {
      all = new Int32Array(n * 2);
      sel = new Int32Array(n * 2);
    }
    // A true-positive count never exceeds npig: its fp-at-tp row needs npig + 2 slots.
    let stride = 2;
    for (let a = 0; a < A; a++) stride = Math.max(stride, mt.npig[k * A + a] + 2);
    if (AT * stride > fpAtTp.length) fpAtTp = new Int32Array(AT * stride * 2);
    if (stride > prMax.length) prMax = new Float64Array(stride * 2);
    n = 0;
    for (let i = 0; i < nImgs; i++) {
      for (let d = mt.keptStart[i * K + k]; d < mt.keptStart[i * K + k + 1]; d++) all[n++] = d;
    }
    // One stable sort serves every maxDets: keeping ranks < maxDet keeps the order.
    sortByScore(all, mt.score, n);
    for (let m = 0; m < M; m++) {
      const maxDet = COCO_MAX_DETS[m];
      let ns = 0;
      for (let s = 0; s < n; s++) if (mt.rank[all[s]] < maxDet) sel[ns++] = all[s];
      // One pass over the ranked detections counts, for every (area, threshold)
      // at once, true and false positives, skipping ignored ones (they leave
      // both unchanged), and records the fp count at each true positive:
      // precision only rises there.
      // Rows that are false positives at every threshold (most) bump fpBase[a] once.
      tpCount.fill(0);
      fpCount.fill(0);
      fpBase.fill(0);
      for (let s = 0; s < ns; s++) {
        const d = sel[s];
        for (let a = 0; a < A; a++) {
          const kind = mt.summary[d * A + a];
          if (kind === ALL_FP) fpBase[a]++;
          else if (kind === MIXED) {
            const base = (d * A + a) * T;
            for (let t = 0; t < T; t++) {
              const at = a * T + t;
              const o = mt.outcome[base + t];
              if (o === TP) fpAtTp[at * stride + ++tpCount[at]] = fpCount[at] + fpBase[a];
              else if (o === FP) fpCount[at]++;
            }
          }
        }
      }
      for (let a = 0; a < A; a++) {
        const npig = mt.npig[k * A + a];
        if (npig === 0) continue;
        const minTp = minTruePositives(npig);
        for (let t = 0; t < T; t++) {
          const tp = tpCount[a * T + t];
          const fp = fpCount[a * T + t] + fpBase[a];
          const fpAt = fpAtTp.subarray((a * T + t) * stride, (a * T + t + 1) * stride);
          recall[((t * K + k) * A + a) * M + m] = tp / npig;
          // Suffix max of precision over the true positives (the right-to-left max).
          // pycocotools computes tp / (fp + tp + eps) at every detection; the max
          // over a suffix is reached at a true positive (or is 0 without one).
          prMax[tp + 1] = 0;
          for (let j = tp; j >= 1; j--) {
            const v = j / (fpAt[j] + j + eps);
            prMax[j] = v > prMax[j + 1] ? v : prMax[j + 1];
          }
          // searchsorted(rc, recThr, 'left') lands on the minTp-th true positive
          // (the first detection when minTp is 0); past the end precision stays 0.
          const anyDet = tp + fp > 0;
          let at = ((t * R * K + k) * A + a) * M + m;
          for (let r = 0; r < R; r++, at += rStride) {
            const c = minTp[r];
            precision[at] = c === 0 ? (anyDet ? prMax[1] : 0) : c <= tp ? prMax[c] : 0;
          }
        }
      }
    }
  }
  return { precision, recall };
}

/** summarize() over categories `ks` (all of them for the headline stats, one for per-category rows). */
function summarize(precision: Float64Array, recall: Float64Array, K: number, ks: number[]): CocoStats {
  // pycocotools' _summarize: np.mean(s[s > -1]) (the kept entries in C order, summed pairwise), or -1 when there are none.
  const kept = new Float64Array(T * R * ks.length);
  const mean = (n: number): number => (n === 0 ? -1 : numpyPairwiseSum(kept, 0, n) / n);
  const ap = (t0: number, t1: number, a: number, m: number): number => {
    let n = 0;
    for (let t = t0; t < t1; t++) {
      for (let r = 0; r < R; r++) {
        for (const k of ks) {
          const v = precision[(((t * R + r) * K + k) * A + a) * M + m];
          if (v > -1) kept[n++] = v;
        }
      }
    }
    return mean(n);
  };
  const ar = (a: number, m: number): number => {
    let n = 0;
    for (let t = 0; t < T; t++) {
      for (const k of ks) {
        const v = recall[((t * K + k) * A + a) * M + m];
        if (v > -1) kept[n++] = v;
      }
    }
    return mean(n);
  };
  // Threshold indices: .50 is 0 and .75 is 5 in COCO_IOU_THRESHOLDS.
  return {
    AP: ap(0, T, 0, 2),
    AP50: ap(0, 1, 0, 2),
    AP75: ap(5, 6, 0, 2),
    APs: ap(0, T, 1, 2),
    APm: ap(0, T, 2, 2),
    APl: ap(0, T, 3, 2),
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
