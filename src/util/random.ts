/**
 * The one seeded generator of the course (mulberry32: 32-bit state, period
 * 2^32), so sampling, datasets, augmentation, bench workloads and tests are
 * reproducible from a seed, identical in Node and in every browser. Nothing in
 * `src/` that must be reproducible calls Math.random.
 *
 * @example
 * const rand = seededRandom(42); rand(); // a number in [0, 1), the same each run
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` deterministic values in [-1, 1): weights and inputs for backend parity
 * checks, so a failure reproduces.
 *
 * @example
 * seededValues(4, 7); // Float32Array(4), the same on every machine
 */
export function seededValues(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** `k` distinct items of `items` chosen uniformly (partial Fisher-Yates), like torch.randperm(n)[:k]. */
export function sampleWithoutReplacement<T>(items: readonly T[], k: number, rand: () => number): T[] {
  const a = items.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi] (both ends included). */
  int(lo: number, hi: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
}

/**
 * The data room's richer view of the same generator. The seed is mixed with
 * the golden-ratio constant first, as the data room always did, so every
 * recorded dataset (and the weights trained on it) keeps its exact contents.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();      // same number on every machine for seed 42
 * rng.int(0, 9);   // a digit class
 */
export function createRng(seed: number): Rng {
  const next = seededRandom((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
  let spare: number | null = null;
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
  return rng;
}

/** Derives an independent seed for a sub-stream (e.g. one scene of a set). */
export function deriveSeed(seed: number, index: number): number {
  let h = (Math.floor(seed) * 0x85ebca6b + index * 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  return h >>> 0;
}
