import { COCO_IOU_THRESHOLDS, type CocoEvalResult } from '../../../core/index';

/**
 * AP at each COCO IoU threshold (0.5, 0.55, ..., 0.95) from an `evaluateCoco(..., {includePrecision: true})`
 * result: pycocotools' precision averaged over recall points and categories, all areas, 100 detections
 * (what AP50 and AP75 are at 0.5 and 0.75). The curve of the paper's figure 1(d).
 */
export function apByIou(result: CocoEvalResult): { iou: number; ap: number }[] {
  if (!result.precision) throw new Error("apByIou: 'result' must come from evaluateCoco(gt, dets, {includePrecision: true}).");
  const { data, shape } = result.precision;
  const [T, R, K, A, M] = shape;
  return Array.from({ length: T }, (_, t) => {
    let sum = 0;
    let n = 0;
    for (let r = 0; r < R; r++) {
      for (let k = 0; k < K; k++) {
        const v = data[(((t * R + r) * K + k) * A + 0) * M + (M - 1)];
        if (v > -1) {
          sum += v;
          n++;
        }
      }
    }
    return { iou: COCO_IOU_THRESHOLDS[t], ap: n === 0 ? -1 : sum / n };
  });
}
