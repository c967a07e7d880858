/**
 * A small seeded generator (mulberry32) so sampling in the core is
 * reproducible from a seed, in Node and in every browser alike.
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
