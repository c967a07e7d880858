/**
 * What a PR-curve drawing needs beyond the raw points: the interpolated
 * envelopes that VOC's two AP definitions integrate (the same rules as
 * `core.apFromPrecisionRecall`), as plain points for Plot.
 */

export interface PrPoint {
  recall: number;
  precision: number;
}

function check(op: string, precision: ArrayLike<number>, recall: ArrayLike<number>) {
  if (precision.length !== recall.length) {
    throw new Error(`${op}: 'precision' and 'recall' must have the same length, got ${precision.length} and ${recall.length}.`);
  }
}

/**
 * The all-point (VOC2010+) envelope as a step line: the curve padded with
 * (0, 0) and (1, 0), precision made non-increasing from the right, and one
 * horizontal run per recall step. The area under it is the all-point AP.
 */
export function allPointEnvelope(precision: ArrayLike<number>, recall: ArrayLike<number>): PrPoint[] {
  check('allPointEnvelope', precision, recall);
  const n = precision.length;
  const mrec = [0, ...Array.from(recall), 1];
  const mpre = [0, ...Array.from(precision), 0];
  for (let i = n; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
  // Each step where recall changes covers (mrec[i], mrec[i+1]] at height mpre[i+1].
  const points: PrPoint[] = [];
  for (let i = 0; i <= n; i++) {
    if (mrec[i + 1] === mrec[i]) continue;
    points.push({ recall: mrec[i], precision: mpre[i + 1] }, { recall: mrec[i + 1], precision: mpre[i + 1] });
  }
  return points;
}

/** The area under a step line from `allPointEnvelope` (equals the all-point AP). */
export function areaUnderSteps(points: PrPoint[]): number {
  let area = 0;
  for (let i = 0; i + 1 < points.length; i += 2) area += (points[i + 1].recall - points[i].recall) * points[i].precision;
  return area;
}

/**
 * The 11 samples of VOC2007's AP: at t = 0, 0.1, ..., 1 (as `i * 0.1`), the
 * highest precision at recall >= t, 0 when no point reaches t. Their mean is the 11-point AP.
 */
export function elevenPointSamples(precision: ArrayLike<number>, recall: ArrayLike<number>): PrPoint[] {
  check('elevenPointSamples', precision, recall);
  return Array.from({ length: 11 }, (_, i) => {
    const t = i * 0.1;
    let p = 0;
    for (let j = 0; j < precision.length; j++) if (recall[j] >= t && precision[j] > p) p = precision[j];
    return { recall: t, precision: p };
  });
}
