import { fail } from '../util/validate';
import { seededRandom } from '../util/random';

/**
 * Exact t-SNE (van der Maaten & Hinton 2008, sec. 3; the recipe of their
 * reference `tsne.py`): per-point Gaussian affinities whose bandwidth is found
 * by bisection to match `perplexity`, symmetrised; a Student-t kernel in 2-D;
 * gradient descent with momentum 0.5 → 0.8 (after 20 iterations) and early
 * exaggeration ×4 for the first 100, with per-coordinate gains. The gradient
 * here is the paper's (with its factor 4; tsne.py drops it), so the default
 * step, 25, is tsne.py's 500 / 4 scaled down for ~100 points; steps of 50
 * and more made 60 digits' maps fall apart. O(N²): meant for the few
 * hundred points a page embeds. Seeded, so the same points give the same map.
 */
export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  learningRate?: number;
  seed?: number;
}

export function tsne(points: number[][], options: TsneOptions = {}): [number, number][] {
  const { perplexity = 10, iterations = 500, learningRate = 25, seed = 1 } = options;
  const n = points.length;
  if (n < 4) fail('tsne', 'points', 'at least 4 points', String(n));
  if (!(perplexity > 0 && perplexity < n)) fail('tsne', 'perplexity', `a number between 0 and the number of points (${n})`, String(perplexity));
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    let s = 0;
    for (let k = 0; k < points[i].length; k++) s += (points[i][k] - points[j][k]) ** 2;
    d2[i * n + j] = d2[j * n + i] = s;
  }
  // Conditional affinities p_{j|i} with entropy log(perplexity), by bisection on beta = 1 / (2 sigma²).
  const P = new Float64Array(n * n);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let beta = 1, lo = 0, hi = Infinity;
    for (let it = 0; it < 60; it++) {
      let sum = 0, dot = 0;
      for (let j = 0; j < n; j++) if (j !== i) {
        const p = Math.exp(-d2[i * n + j] * beta);
        P[i * n + j] = p;
        sum += p;
        dot += d2[i * n + j] * p;
      }
      sum = Math.max(sum, 1e-300);
      const entropy = Math.log(sum) + (beta * dot) / sum;
      for (let j = 0; j < n; j++) if (j !== i) P[i * n + j] /= sum;
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) { lo = beta; beta = hi === Infinity ? beta * 2 : (beta + hi) / 2; }
      else { hi = beta; beta = (beta + lo) / 2; }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const p = Math.max((P[i * n + j] + P[j * n + i]) / (2 * n), 1e-12);
    P[i * n + j] = P[j * n + i] = p;
  }
  const rand = seededRandom(seed);
  const Y = Array.from({ length: n }, () => [1e-4 * gauss(rand), 1e-4 * gauss(rand)]);
  const gains = Array.from({ length: n }, () => [1, 1]);
  const update = Array.from({ length: n }, () => [0, 0]);
  const num = new Float64Array(n * n);
  for (let it = 0; it < iterations; it++) {
    const exaggeration = it < 100 ? 4 : 1;
    const momentum = it < 20 ? 0.5 : 0.8;
    let sumQ = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const q = 1 / (1 + (Y[i][0] - Y[j][0]) ** 2 + (Y[i][1] - Y[j][1]) ** 2);
      num[i * n + j] = num[j * n + i] = q;
      sumQ += 2 * q;
    }
    for (let i = 0; i < n; i++) {
      let g0 = 0, g1 = 0;
      for (let j = 0; j < n; j++) if (j !== i) {
        const m = (exaggeration * P[i * n + j] - Math.max(num[i * n + j] / sumQ, 1e-12)) * num[i * n + j];
        g0 += 4 * m * (Y[i][0] - Y[j][0]);
        g1 += 4 * m * (Y[i][1] - Y[j][1]);
      }
      const g = [g0, g1];
      for (let d = 0; d < 2; d++) {
        gains[i][d] = Math.sign(g[d]) !== Math.sign(update[i][d]) ? gains[i][d] + 0.2 : Math.max(0.01, gains[i][d] * 0.8);
        update[i][d] = momentum * update[i][d] - learningRate * gains[i][d] * g[d];
        Y[i][d] += update[i][d];
      }
    }
    const mean = [0, 1].map((d) => Y.reduce((s, y) => s + y[d], 0) / n);
    for (const y of Y) { y[0] -= mean[0]; y[1] -= mean[1]; }
  }
  return Y.map((y) => [y[0], y[1]]);
}

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
