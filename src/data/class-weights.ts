/**
 * Class distributions for generated scenes: 'balanced', 'long-tail' (class k
 * drawn with weight ratio^(-k/(K-1)), so class 0 is `ratio` times as common
 * as class K-1: the rare-class lesson), or explicit weights.
 *
 * @example
 * classWeights('long-tail', 10, 100); // [1, 0.599, 0.359, ..., 0.01]
 */
export function classWeights(dist: 'balanced' | 'long-tail' | readonly number[], numClasses: number, ratio = 50): number[] {
  if (Array.isArray(dist)) {
    if (dist.length !== numClasses || dist.some((w) => !(w >= 0)) || !dist.some((w) => w > 0)) {
      throw new Error(`classWeights: 'classes' must be ${numClasses} non-negative weights with one above 0, got [${dist}].`);
    }
    return [...dist];
  }
  if (dist === 'balanced') return new Array(numClasses).fill(1);
  if (dist === 'long-tail') return Array.from({ length: numClasses }, (_, k) => ratio ** (-k / Math.max(1, numClasses - 1)));
  throw new Error(`classWeights: 'classes' must be 'balanced', 'long-tail' or an array of weights, got '${String(dist)}'.`);
}
