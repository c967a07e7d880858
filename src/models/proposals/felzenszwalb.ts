import { fail } from '../../util/validate';
import { checkPixelImage, type PixelImage } from './pixel-image';

export interface FelzenszwalbOptions {
  /**
   * k of the paper: the threshold τ(C) = k/|C| lets small components merge across
   * larger differences, so a larger k gives larger regions. In the units of the
   * pixel values (for 0..1 images, k = 1 is like the paper's k = 255). Default 1.
   */
  k?: number;
  /** Std of the Gaussian smoothing before the graph is built (paper: 0.8); 0 turns it off. Default 0.8. */
  sigma?: number;
  /** Components smaller than this (pixels) are merged into a neighbour afterwards (the paper's post-processing). Default 20. */
  minSize?: number;
}

export interface Segmentation {
  width: number;
  height: number;
  /** Region id per pixel, row-major, ids 0..count-1 numbered in raster order of each region's first pixel. */
  labels: Int32Array;
  count: number;
}

/**
 * Graph-based image segmentation (Felzenszwalb & Huttenlocher, IJCV 2004):
 * pixels are nodes, 8-connected neighbours are edges weighted by the Euclidean
 * distance of their (smoothed) values. Edges are visited by increasing weight;
 * an edge joins its two components C1, C2 when its weight is at most
 * min(Int(C1) + k/|C1|, Int(C2) + k/|C2|), Int being the largest edge inside a
 * component (which, edges being sorted, is the weight of the edge that last
 * grew it). Components are kept in a union-find forest. Then components smaller
 * than `minSize` are joined along the remaining edges, again lightest first.
 *
 * @example
 * felzenszwalbSegment({width: 4, height: 1, channels: 1, data: [0, 0, 1, 1]}, {k: 0.1, sigma: 0, minSize: 1}).labels; // [0, 0, 1, 1]
 */
export function felzenszwalbSegment(image: PixelImage, options: FelzenszwalbOptions = {}): Segmentation {
  const op = 'felzenszwalbSegment';
  checkPixelImage(op, image);
  const { k = 1, sigma = 0.8, minSize = 20 } = options;
  if (typeof k !== 'number' || !Number.isFinite(k) || k < 0) fail(op, 'k', 'a non-negative number', String(k));
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma < 0) fail(op, 'sigma', 'a non-negative number', String(sigma));
  if (!Number.isInteger(minSize) || minSize < 1) fail(op, 'minSize', 'a positive integer', String(minSize));
  const { width: W, height: H, channels: C } = image;
  const px = sigma > 0 ? gaussianSmooth(image, sigma) : Float64Array.from(image.data);
  const { a, b, w } = gridEdges(px, W, H, C);
  // Sorting an index keeps equal weights in construction order, so the result is deterministic.
  const order = Uint32Array.from({ length: w.length }, (_, i) => i).sort((i, j) => w[i] - w[j] || i - j);
  const forest = new DisjointSets(W * H);
  const threshold = new Float64Array(W * H).fill(k);
  for (const e of order) {
    const ra = forest.find(a[e]);
    const rb = forest.find(b[e]);
    if (ra === rb || w[e] > threshold[ra] || w[e] > threshold[rb]) continue;
    const r = forest.union(ra, rb);
    threshold[r] = w[e] + k / forest.size[r];
  }
  for (const e of order) {
    const ra = forest.find(a[e]);
    const rb = forest.find(b[e]);
    if (ra !== rb && (forest.size[ra] < minSize || forest.size[rb] < minSize)) forest.union(ra, rb);
  }
  const labels = new Int32Array(W * H);
  const ids = new Map<number, number>();
  for (let p = 0; p < W * H; p++) {
    const r = forest.find(p);
    let id = ids.get(r);
    if (id === undefined) ids.set(r, (id = ids.size));
    labels[p] = id;
  }
  return { width: W, height: H, labels, count: ids.size };
}

/** Union-find with union by size and path halving. */
class DisjointSets {
  readonly parent: Int32Array;
  readonly size: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = new Int32Array(n).fill(1);
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  /** Joins two roots; returns the new root. */
  union(a: number, b: number): number {
    if (this.size[a] < this.size[b]) [a, b] = [b, a];
    this.parent[b] = a;
    this.size[a] += this.size[b];
    return a;
  }
}

/** Edges to the right, down, down-right and up-right neighbours: each 8-neighbour pair once. */
function gridEdges(px: Float64Array, W: number, H: number, C: number): { a: Uint32Array; b: Uint32Array; w: Float64Array } {
  const a: number[] = [];
  const b: number[] = [];
  const w: number[] = [];
  const add = (p: number, q: number) => {
    let d = 0;
    for (let c = 0; c < C; c++) d += (px[p * C + c] - px[q * C + c]) ** 2;
    a.push(p);
    b.push(q);
    w.push(Math.sqrt(d));
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (x + 1 < W) add(p, p + 1);
      if (y + 1 < H) add(p, p + W);
      if (x + 1 < W && y + 1 < H) add(p, p + W + 1);
      if (x + 1 < W && y > 0) add(p, p - W + 1);
    }
  }
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), w: Float64Array.from(w) };
}

/** Separable Gaussian blur, radius ceil(4σ) as the paper's code, edges clamped. */
function gaussianSmooth(image: PixelImage, sigma: number): Float64Array {
  const { width: W, height: H, channels: C, data } = image;
  const r = Math.ceil(4 * sigma);
  const kernel = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((s, v) => s + v, 0);
  const g = kernel.map((v) => v / sum);
  const tmp = new Float64Array(W * H * C);
  const out = new Float64Array(W * H * C);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let i = -r; i <= r; i++) s += g[i + r] * data[(y * W + Math.min(W - 1, Math.max(0, x + i))) * C + c];
        tmp[(y * W + x) * C + c] = s;
      }
    }
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let i = -r; i <= r; i++) s += g[i + r] * tmp[(Math.min(H - 1, Math.max(0, y + i)) * W + x) * C + c];
        out[(y * W + x) * C + c] = s;
      }
    }
  }
  return out;
}
