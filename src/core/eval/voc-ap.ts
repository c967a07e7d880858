import { assertOneOf, fail } from '../../util/validate';

export type VocInterpolation = '11point' | 'allpoint';
export const VOC_INTERPOLATIONS: readonly VocInterpolation[] = ['11point', 'allpoint'];

/**
 * Average precision from a precision/recall curve (one point per ranked
 * detection), as the VOC devkit's `voc_ap` (py-faster-rcnn voc_eval.py):
 *
 * - `'11point'` (VOC2007): the mean over t = 0, 0.1, ..., 1 of the highest
 *   precision at recall >= t (0 when no point reaches t). The t values are
 *   numpy's `arange(0, 1.1, 0.1)`, i.e. i * 0.1, so the fourth is 0.30000000000000004.
 * - `'allpoint'` (VOC2010+): pad recall with 0 and 1 and precision with 0 and 0,
 *   make precision non-increasing from the right, and sum precision times the
 *   recall step wherever recall changes: the area under the envelope.
 *
 * @example
 * // One ground truth; the first detection finds it, the second is a false positive:
 * apFromPrecisionRecall([1, 0.5], [1, 1], 'allpoint'); // 1
 * apFromPrecisionRecall([1, 0.5], [1, 1], '11point'); // 1
 */
export function apFromPrecisionRecall(
  precision: ArrayLike<number>,
  recall: ArrayLike<number>,
  interpolation: VocInterpolation = 'allpoint',
): number {
  const op = 'apFromPrecisionRecall';
  for (const [arg, v] of [['precision', precision], ['recall', recall]] as const) {
    if (v === null || typeof v !== 'object' || typeof v.length !== 'number') fail(op, arg, 'an array of numbers', String(v));
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number' || Number.isNaN(v[i])) fail(op, arg, 'an array of numbers', `${v[i]} at index ${i}`);
    }
  }
  if (precision.length !== recall.length) {
    fail(op, 'recall', `an array as long as precision (${precision.length})`, `length ${recall.length}`);
  }
  assertOneOf(op, 'interpolation', interpolation, VOC_INTERPOLATIONS);
  const n = precision.length;
  if (interpolation === '11point') {
    let ap = 0;
    for (let i = 0; i <= 10; i++) {
      const t = i * 0.1;
      let p = 0;
      for (let j = 0; j < n; j++) if (recall[j] >= t && precision[j] > p) p = precision[j];
      ap = ap + p / 11;
    }
    return ap;
  }
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  for (let i = 0; i < n; i++) {
    mrec[i + 1] = recall[i];
    mpre[i + 1] = precision[i];
  }
  mrec[n + 1] = 1;
  for (let i = n + 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
  let ap = 0;
  for (let i = 0; i < n + 1; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
  return ap;
}
