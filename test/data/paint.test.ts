import { describe, expect, it } from 'vitest';
import { fragmentPatch, type Patch } from '../../src/data/paint';
import { createRng } from '../../src/util/random';

/** A 20x10 glyph whose alpha encodes each pixel's position, so a crop shows where it came from. */
const glyph: Patch = {
  x: 0,
  y: 0,
  width: 20,
  height: 10,
  alpha: Float32Array.from({ length: 200 }, (_, i) => i / 200),
  color: [0.2, 0.4, 0.6],
};

describe('fragmentPatch', () => {
  it('cuts a window of the glyph, under half of each side, that shows on the canvas', () => {
    const rng = createRng(7);
    for (let t = 0; t < 200; t++) {
      const f = fragmentPatch(glyph, 32, rng);
      expect(f.width).toBeGreaterThanOrEqual(2);
      expect(f.width).toBeLessThanOrEqual(Math.round(20 * 0.45));
      expect(f.height).toBeLessThanOrEqual(Math.max(2, Math.round(10 * 0.45)));
      expect(f.color).toEqual(glyph.color);
      // at least one pixel inside the 32x32 canvas
      expect(f.x + f.width).toBeGreaterThan(0);
      expect(f.y + f.height).toBeGreaterThan(0);
      expect(f.x).toBeLessThan(32);
      expect(f.y).toBeLessThan(32);
      // a contiguous window: its top-left pixel fixes every other one
      const first = Math.round(f.alpha[0] * 200);
      const [fy, fx] = [Math.floor(first / 20), first % 20];
      expect(fx + f.width).toBeLessThanOrEqual(20);
      expect(fy + f.height).toBeLessThanOrEqual(10);
      for (let r = 0; r < f.height; r++) for (let c = 0; c < f.width; c++) expect(f.alpha[r * f.width + c]).toBeCloseTo(((fy + r) * 20 + fx + c) / 200, 6);
    }
  });

  it('is deterministic for a seed', () => {
    expect(fragmentPatch(glyph, 32, createRng(3))).toEqual(fragmentPatch(glyph, 32, createRng(3)));
  });
});
