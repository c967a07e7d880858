import { assertOneOf, fail } from '../../util/validate';
import { seededRandom } from '../../util/random';
import { felzenszwalbSegment, type FelzenszwalbOptions, type Segmentation } from './felzenszwalb';
import { checkPixelImage, type PixelImage } from './pixel-image';

/** Box `[x1, y1, x2, y2]` in pixels; x2 is one past the last column, as scene boxes. */
export type PixelBox = [number, number, number, number];

export const SIMILARITIES = ['colour', 'size', 'fill', 'texture'] as const;
export type Similarity = (typeof SIMILARITIES)[number];

/** Histogram bins per channel: 25 for colour, 10 per orientation for texture (Uijlings et al.). */
const COLOUR_BINS = 25;
const TEXTURE_BINS = 10;
const ORIENTATIONS = 8;

export interface GroupingOptions {
  /** Which similarities to add up (the paper's s = a1·s_colour + a2·s_texture + a3·s_size + a4·s_fill, each a ∈ {0, 1}). Default colour, size, fill. */
  similarities?: Similarity[];
}

export interface Region {
  /** Initial regions keep their segmentation id; merged ones are numbered on from `segmentation.count`. */
  id: number;
  box: PixelBox;
  /** Pixels in the region. */
  size: number;
}

export interface MergeStep {
  /** The two regions joined, `[i, j]` with i < j. */
  merged: [number, number];
  /** Id of the new region. */
  into: number;
  /** Their similarity when they were joined (the highest of all neighbouring pairs). */
  similarity: number;
  box: PixelBox;
}

export interface Grouping {
  /** Every region of the hierarchy: the initial ones, then one per merge. */
  regions: Region[];
  /** The merges in order; the last one makes the whole image (or its connected part). */
  steps: MergeStep[];
}

interface Descriptor {
  size: number;
  box: PixelBox;
  colour: Float64Array;
  texture: Float64Array;
}

/**
 * Hierarchical grouping of selective search (Uijlings et al., IJCV 2013): start
 * from an over-segmentation, repeatedly join the two most similar neighbouring
 * regions, until one is left. Similarities (all in [0, 1]):
 * - colour: histogram intersection Σ min(c_i, c_j) of L1-normalised colour histograms (25 bins per channel, values 0..1);
 * - texture: the same on histograms of gradient orientation (8 directions, 10 magnitude bins per channel);
 * - size: 1 - (|r_i| + |r_j|) / |image|, so small regions merge early;
 * - fill: 1 - (|BB_ij| - |r_i| - |r_j|) / |image|, BB_ij the box around both: regions that fill each other's gaps merge early.
 * A merged region's histograms are the size-weighted means of its parts'; its neighbours are both parts' neighbours.
 * Neighbours are 4-connected pixels with different labels. Ties go to the pair of lowest ids.
 *
 * @example
 * const seg = felzenszwalbSegment(image, {k: 1});
 * hierarchicalGrouping(image, seg).steps[0]; // {merged: [i, j], into: seg.count, similarity, box}
 */
export function hierarchicalGrouping(image: PixelImage, segmentation: Segmentation, options: GroupingOptions = {}): Grouping {
  const op = 'hierarchicalGrouping';
  checkPixelImage(op, image);
  const { labels, count } = checkSegmentation(op, image, segmentation);
  const used = checkSimilarities(op, options.similarities ?? ['colour', 'size', 'fill']);
  const { width: W, height: H } = image;
  const imageSize = W * H;
  const regions = describeRegions(image, labels, count, used.has('texture'));
  const neighbours = adjacency(labels, W, H, count);
  const similarity = (a: Descriptor, b: Descriptor): number => {
    let s = 0;
    if (used.has('colour')) s += intersection(a.colour, b.colour);
    if (used.has('texture')) s += intersection(a.texture, b.texture);
    if (used.has('size')) s += 1 - (a.size + b.size) / imageSize;
    if (used.has('fill')) s += 1 - (boxArea(unionBox(a.box, b.box)) - a.size - b.size) / imageSize;
    return s;
  };
  // Pair key i*M + j with i < j; M bounds every id the hierarchy can reach (2·count - 1).
  const M = 2 * count;
  const pairs = new Map<number, number>();
  neighbours.forEach((ns, i) => ns.forEach((j) => i < j && pairs.set(i * M + j, similarity(regions[i], regions[j]))));
  const steps: MergeStep[] = [];
  while (pairs.size > 0) {
    let bestKey = -1;
    let best = -Infinity;
    for (const [key, s] of pairs) if (s > best || (s === best && key < bestKey)) [best, bestKey] = [s, key];
    const i = Math.floor(bestKey / M);
    const j = bestKey % M;
    const t = regions.length;
    const a = regions[i];
    const b = regions[j];
    const size = a.size + b.size;
    const mix = (x: Float64Array, y: Float64Array) => x.map((v, n) => (v * a.size + y[n] * b.size) / size);
    regions.push({ size, box: unionBox(a.box, b.box), colour: mix(a.colour, b.colour), texture: mix(a.texture, b.texture) });
    const joined = new Set<number>();
    for (const n of [...neighbours[i], ...neighbours[j]]) if (n !== i && n !== j) joined.add(n);
    for (const n of neighbours[i]) pairs.delete(Math.min(i, n) * M + Math.max(i, n));
    for (const n of neighbours[j]) pairs.delete(Math.min(j, n) * M + Math.max(j, n));
    neighbours.push(joined);
    for (const n of joined) {
      neighbours[n].delete(i);
      neighbours[n].delete(j);
      neighbours[n].add(t);
      pairs.set(n * M + t, similarity(regions[n], regions[t]));
    }
    steps.push({ merged: [i, j], into: t, similarity: best, box: regions[t].box });
  }
  return { regions: regions.map((r, id) => ({ id, box: r.box, size: r.size })), steps };
}

export interface SelectiveSearchOptions extends FelzenszwalbOptions, GroupingOptions {
  /** Seed of the paper's ranking: each region's position in the hierarchy (1 = the last merge) times a random number in [0, 1]. Without a seed: by position alone. */
  seed?: number;
  /** Drop boxes whose shorter side is below this many pixels. Default 0. */
  minBoxSize?: number;
}

export interface SelectiveSearchResult {
  /** Distinct boxes of the hierarchy's regions, ranked as the paper (see `seed`). */
  boxes: PixelBox[];
  segmentation: Segmentation;
  grouping: Grouping;
}

/**
 * Selective search in one strategy (one colour space, one k, one similarity
 * combination): Felzenszwalb over-segmentation, hierarchical grouping, and the
 * boxes of every region of the hierarchy, the initial ones included. R-CNN's
 * region proposals (the paper's "fast" mode runs several strategies and unions them).
 *
 * @example
 * selectiveSearch(sceneAsPixels, {k: 1, minSize: 20}).boxes.slice(0, 5); // five [x1, y1, x2, y2] proposals
 */
export function selectiveSearch(image: PixelImage, options: SelectiveSearchOptions = {}): SelectiveSearchResult {
  const op = 'selectiveSearch';
  const { seed, minBoxSize = 0 } = options;
  if (seed !== undefined && !Number.isFinite(seed)) fail(op, 'seed', 'a finite number', String(seed));
  if (typeof minBoxSize !== 'number' || !(minBoxSize >= 0)) fail(op, 'minBoxSize', 'a non-negative number', String(minBoxSize));
  const segmentation = felzenszwalbSegment(image, options);
  const grouping = hierarchicalGrouping(image, segmentation, options);
  const n = grouping.regions.length;
  const rand = seed === undefined ? () => 1 : seededRandom(seed);
  const ranked = grouping.regions.map((r, i) => ({ box: r.box, rank: (n - i) * rand() })).sort((p, q) => p.rank - q.rank);
  const seen = new Set<string>();
  const boxes: PixelBox[] = [];
  for (const { box } of ranked) {
    const key = box.join(',');
    if (seen.has(key) || Math.min(box[2] - box[0], box[3] - box[1]) < minBoxSize) continue;
    seen.add(key);
    boxes.push(box);
  }
  return { boxes, segmentation, grouping };
}

function checkSegmentation(op: string, image: PixelImage, s: Segmentation): { labels: Int32Array; count: number } {
  if (typeof s !== 'object' || s === null || !(s.labels instanceof Int32Array)) fail(op, 'segmentation', 'a {labels: Int32Array, count} from felzenszwalbSegment', String(s));
  if (s.labels.length !== image.width * image.height) fail(op, 'segmentation', `one label per pixel (${image.width * image.height})`, `${s.labels.length}`);
  if (!Number.isInteger(s.count) || s.count < 1) fail(op, 'segmentation.count', 'a positive integer', String(s.count));
  for (let p = 0; p < s.labels.length; p++) {
    if (s.labels[p] < 0 || s.labels[p] >= s.count) fail(op, 'segmentation.labels', `ids in [0, ${s.count})`, `${s.labels[p]} at pixel ${p}`);
  }
  return s;
}

function checkSimilarities(op: string, list: Similarity[]): Set<Similarity> {
  if (!Array.isArray(list) || list.length === 0) fail(op, 'similarities', `a non-empty array of ${SIMILARITIES.map((s) => `'${s}'`).join(', ')}`, JSON.stringify(list));
  list.forEach((s) => assertOneOf(op, 'similarities', s, SIMILARITIES));
  return new Set(list);
}

function describeRegions(image: PixelImage, labels: Int32Array, count: number, withTexture: boolean): Descriptor[] {
  const { width: W, height: H, channels: C, data } = image;
  const regions: Descriptor[] = Array.from({ length: count }, () => ({
    size: 0,
    box: [Infinity, Infinity, -Infinity, -Infinity] as PixelBox,
    colour: new Float64Array(COLOUR_BINS * C),
    texture: new Float64Array(withTexture ? ORIENTATIONS * TEXTURE_BINS * C : 0),
  }));
  const bin = (v: number, bins: number) => Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const r = regions[labels[p]];
      r.size++;
      r.box = [Math.min(r.box[0], x), Math.min(r.box[1], y), Math.max(r.box[2], x + 1), Math.max(r.box[3], y + 1)];
      for (let c = 0; c < C; c++) {
        r.colour[c * COLOUR_BINS + bin(data[p * C + c], COLOUR_BINS)]++;
        if (!withTexture) continue;
        // Central differences stand in for the paper's Gaussian derivatives (σ = 1): 8 directions, magnitude in 10 bins.
        const at = (xx: number, yy: number) => data[(Math.min(H - 1, Math.max(0, yy)) * W + Math.min(W - 1, Math.max(0, xx))) * C + c];
        const gx = (at(x + 1, y) - at(x - 1, y)) / 2;
        const gy = (at(x, y + 1) - at(x, y - 1)) / 2;
        const o = Math.floor(((Math.atan2(gy, gx) + Math.PI) / (2 * Math.PI)) * ORIENTATIONS) % ORIENTATIONS;
        r.texture[(c * ORIENTATIONS + o) * TEXTURE_BINS + bin(Math.hypot(gx, gy), TEXTURE_BINS)]++;
      }
    }
  }
  for (const r of regions) {
    normaliseL1(r.colour);
    normaliseL1(r.texture);
  }
  return regions;
}

function normaliseL1(h: Float64Array): void {
  const s = h.reduce((a, v) => a + v, 0);
  if (s > 0) for (let i = 0; i < h.length; i++) h[i] /= s;
}

function adjacency(labels: Int32Array, W: number, H: number, count: number): Set<number>[] {
  const ns = Array.from({ length: count }, () => new Set<number>());
  const link = (a: number, b: number) => {
    if (a === b) return;
    ns[a].add(b);
    ns[b].add(a);
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (x + 1 < W) link(labels[p], labels[p + 1]);
      if (y + 1 < H) link(labels[p], labels[p + W]);
    }
  }
  return ns;
}

function intersection(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.min(a[i], b[i]);
  return s;
}

function unionBox(a: PixelBox, b: PixelBox): PixelBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

function boxArea(b: PixelBox): number {
  return (b[2] - b[0]) * (b[3] - b[1]);
}
