import { parseCoco, type CocoDetection, type CocoGroundTruth } from './coco-format';
import { apFromPrecisionRecall, VOC_INTERPOLATIONS, type VocInterpolation } from './voc-ap';
import { assertInRange, assertOneOf, fail } from '../../util/validate';

export interface VocEvalOptions {
  /** A detection is a true positive when its best IoU is at least this (the devkit's `ovmax >= minoverlap`). Default 0.5. */
  iouThreshold?: number;
  /** '11point' (VOC2007) or 'allpoint' (VOC2010+). Default 'allpoint'. */
  interpolation?: VocInterpolation;
}

export interface VocCategoryResult {
  categoryId: number;
  name: string;
  /** -1 when the category has no (non-crowd) ground truth. */
  AP: number;
  /** Precision after each detection, best score first (the PR curve's y). */
  precision: number[];
  /** Recall after each detection, best score first (the PR curve's x); 0s when there is no ground truth. */
  recall: number[];
  /** Non-crowd ground truths of this category. */
  positives: number;
}

export interface VocEvalResult {
  perCategory: VocCategoryResult[];
  /** Mean AP over the categories that have ground truth; -1 when none has. */
  mAP: number;
}

/**
 * PASCAL VOC AP per category, following the VOC devkit's `VOCevaldet.m` (and
 * its Python port, py-faster-rcnn's `voc_eval.py`, for the PR-curve details),
 * on COCO-format inputs:
 *
 * - Boxes `[x, y, w, h]` (continuous coordinates; `w` counts the pixels x..x+w-1)
 *   become the devkit's 1-based inclusive pixel corners `(x + 1, y + 1, x + w, y + h)`,
 *   as detectron2's `PascalVOCDetectionEvaluator` writes them. The devkit's `+ 1`
 *   (`iw = min(x2) - max(x1) + 1`, area `(x2 - x1 + 1)(y2 - y1 + 1)`) then gives back
 *   pixel counts, so the IoU equals the continuous IoU of the boxes (`boxIou`), and
 *   boxes that share an edge do not overlap.
 * - Detections of a category are ranked by score (stable, as MATLAB's `sort`:
 *   ties keep input order); each takes the ground truth of its image with the
 *   highest IoU among those it overlaps (`iw > 0 & ih > 0`; first on ties).
 *   It is a true positive when that IoU is at least `iouThreshold`
 *   (`ovmax >= minoverlap`) and the ground truth is not yet taken; otherwise a false positive.
 * - Crowd ground truth plays the devkit's "difficult": not counted in recall,
 *   and a detection whose best match is one is neither true nor false positive.
 * - precision = tp / max(tp + fp, eps) (voc_eval.py's guard against the devkit's 0/0),
 *   recall = tp / positives, cumulative over the ranking.
 *
 * @example
 * const gt = {
 *   images: [{ id: 1 }],
 *   annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], area: 100, iscrowd: 0 }],
 *   categories: [{ id: 1, name: 'digit' }],
 * };
 * const res = evaluateVoc(gt, [{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 }]);
 * res.mAP; // 1
 * res.perCategory[0].recall; // [1]
 */
export function evaluateVoc(
  groundTruth: CocoGroundTruth,
  detections: CocoDetection[],
  options: VocEvalOptions = {},
): VocEvalResult {
  const op = 'evaluateVoc';
  if (typeof options !== 'object' || options === null) fail(op, 'options', 'an object', String(options));
  const iouThreshold = options.iouThreshold ?? 0.5;
  const interpolation = options.interpolation ?? 'allpoint';
  assertInRange(op, 'options.iouThreshold', iouThreshold, 0, 1);
  assertOneOf(op, 'options.interpolation', interpolation, VOC_INTERPOLATIONS);

  const { imgIds, catIds, catNames, gt, dt } = parseCoco(op, groundTruth, detections);
  const K = catIds.length;
  const perCategory: VocCategoryResult[] = [];
  const eps = 2.220446049250313e-16; // np.finfo(np.float64).eps
  const dtImage = new Int32Array(dt.score.length);
  for (let k = 0; k < K; k++) {
    let positives = 0;
    let n = 0;
    for (let i = 0; i < imgIds.length; i++) {
      const g = i * K + k;
      for (let j = gt.start[g]; j < gt.start[g + 1]; j++) if (!gt.crowd[j]) positives++;
      n += dt.start[g + 1] - dt.start[g];
    }
    // Rank this category's detections; ties in input order (the id is the input position).
    const order = new Int32Array(n);
    n = 0;
    for (let i = 0; i < imgIds.length; i++) {
      const g = i * K + k;
      for (let d = dt.start[g]; d < dt.start[g + 1]; d++) {
        order[n++] = d;
        dtImage[d] = i;
      }
    }
    order.sort((a, b) => dt.score[b] - dt.score[a] || dt.id[a] - dt.id[b]);
    const taken = new Uint8Array(gt.start[gt.start.length - 1]);
    const precision: number[] = new Array(n);
    const recall: number[] = new Array(n);
    let tp = 0;
    let fp = 0;
    for (let s = 0; s < n; s++) {
      const d = order[s];
      const g = dtImage[d] * K + k;
      // The devkit's 1-based inclusive pixel corners: a box [x, y, w, h] covering pixels x..x+w-1 is
      // xmin = x + 1, xmax = x + w (detectron2's PascalVOCDetectionEvaluator writes xmin += 1).
      const bx1 = dt.x[d] + 1;
      const by1 = dt.y[d] + 1;
      const bx2 = dt.x[d] + dt.w[d];
      const by2 = dt.y[d] + dt.h[d];
      let ovmax = -Infinity;
      let jmax = -1;
      for (let j = gt.start[g]; j < gt.start[g + 1]; j++) {
        const gx1 = gt.x[j] + 1;
        const gy1 = gt.y[j] + 1;
        const gx2 = gt.x[j] + gt.w[j];
        const gy2 = gt.y[j] + gt.h[j];
        // The devkit's + 1 turns inclusive corners back into pixel counts: iw is the continuous overlap.
        const iw = Math.min(gx2, bx2) - Math.max(gx1, bx1) + 1;
        const ih = Math.min(gy2, by2) - Math.max(gy1, by1) + 1;
        // The devkit only scores boxes that overlap, so at threshold 0 a distant or touching box is still a false positive.
        if (!(iw > 0 && ih > 0)) continue;
        const inters = iw * ih;
        const uni = (bx2 - bx1 + 1) * (by2 - by1 + 1) + (gx2 - gx1 + 1) * (gy2 - gy1 + 1) - inters;
        const ov = inters / uni;
        if (ov > ovmax) {
          ovmax = ov;
          jmax = j;
        }
      }
      if (jmax >= 0 && ovmax >= iouThreshold) {
        if (!gt.crowd[jmax]) {
          if (!taken[jmax]) {
            tp++;
            taken[jmax] = 1;
          } else fp++;
        }
      } else fp++;
      recall[s] = positives > 0 ? tp / positives : 0;
      precision[s] = tp / Math.max(tp + fp, eps);
    }
    perCategory.push({
      categoryId: catIds[k],
      name: catNames[k],
      AP: positives > 0 ? apFromPrecisionRecall(precision, recall, interpolation) : -1,
      precision,
      recall,
      positives,
    });
  }
  const scored = perCategory.filter((c) => c.positives > 0);
  const mAP = scored.length === 0 ? -1 : scored.reduce((s, c) => s + c.AP, 0) / scored.length;
  return { perCategory, mAP };
}
