import { fail } from '../util/validate';

/**
 * Spearman's rank correlation of two equally long lists (ties get their
 * average rank): the similarity measure of Adebayo et al.'s sanity checks,
 * which ignores the maps' scales.
 */
export function rankCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) fail('rankCorrelation', 'b', `a list as long as a (${a.length}, at least 2)`, String(b.length));
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da === 0 || db === 0 ? 0 : num / Math.sqrt(da * db);
}

function ranks(v: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
  const r = new Float64Array(v.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && v[order[e + 1]] === v[order[s]]) e++;
    for (let k = s; k <= e; k++) r[order[k]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return r;
}
