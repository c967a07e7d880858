import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/util/random';

describe('createRng (mulberry32)', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = Array.from({ length: 5 }, createRng(42).next);
    const b = Array.from({ length: 5 }, createRng(42).next);
    const c = Array.from({ length: 5 }, createRng(43).next);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const v of a) expect(v >= 0 && v < 1).toBe(true);
  });

  it('int(lo, hi) includes both ends and nothing outside', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.int(2, 4));
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });

  it('shuffle returns a permutation', () => {
    const xs = createRng(5).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...xs].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(xs).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('weighted never draws a zero-weight index and follows the weights', () => {
    const rng = createRng(9);
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[rng.weighted([3, 0, 1])]++;
    expect(counts[1]).toBe(0);
    // expected 3:1, i.e. 3000 vs 1000; allow sampling noise (sd ~ 27)
    expect(counts[0] / counts[2]).toBeGreaterThan(2.6);
    expect(counts[0] / counts[2]).toBeLessThan(3.4);
  });

  it('normal draws have mean ~0 and variance ~1', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, rng.normal);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('deriveSeed separates sub-streams', () => {
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(1, 1));
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(2, 0));
    expect(deriveSeed(7, 3)).toBe(deriveSeed(7, 3));
  });
});
