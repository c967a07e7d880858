import { describe, expect, it } from 'vitest';
import { felzenszwalbSegment, hierarchicalGrouping, selectiveSearch, type PixelImage } from '../../../src/models/proposals/index';

// References: Felzenszwalb & Huttenlocher, "Efficient Graph-Based Image Segmentation", IJCV 2004 (Algorithm 1,
// threshold τ(C) = k/|C|, post-processing of small components); Uijlings et al., "Selective Search for Object
// Recognition", IJCV 2013 (Algorithm 1 and section 3.2's similarities).

function image(width: number, height: number, f: (x: number, y: number) => number): PixelImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, channels: 1, data };
}

describe('felzenszwalbSegment', () => {
  it('finds exactly the two flat halves of an image', () => {
    // 8x8, left half 0.2, right half 0.8, no smoothing. Inside a half every edge weighs 0, so each half
    // becomes one component with Int = 0; the 0.6 edges across need 0.6 <= 0 + k/32 = 0.0156: never.
    const img = image(8, 8, (x) => (x < 4 ? 0.2 : 0.8));
    const seg = felzenszwalbSegment(img, { k: 0.5, sigma: 0, minSize: 1 });
    expect(seg.count).toBe(2);
    for (let p = 0; p < 64; p++) expect(seg.labels[p]).toBe(p % 8 < 4 ? 0 : 1);
  });
  it('still finds the two halves after the paper\'s smoothing (σ = 0.8) once small slivers are merged', () => {
    const img = image(16, 16, (x) => (x < 8 ? 0.2 : 0.8));
    const seg = felzenszwalbSegment(img, { k: 0.05, sigma: 0.8, minSize: 20 });
    expect(seg.count).toBe(2);
    // The boundary is blurred symmetrically, so the split stays between columns 7 and 8.
    for (let p = 0; p < 256; p++) expect(seg.labels[p]).toBe(p % 16 < 8 ? 0 : 1);
  });
  it('merges the halves when k is large: 0.6 <= 0 + 100/32', () => {
    const img = image(8, 8, (x) => (x < 4 ? 0.2 : 0.8));
    expect(felzenszwalbSegment(img, { k: 100, sigma: 0, minSize: 1 }).count).toBe(1);
  });
  it('applies the threshold Int(C) + k/|C| edge by edge (hand-worked strip)', () => {
    // Pixels [0, 0.1, 0.3]: edges e01 = 0.1, e12 = 0.2, visited in that order.
    const strip = { width: 3, height: 1, channels: 1, data: [0, 0.1, 0.3] };
    // k = 0.2: e01 0.1 <= 0.2 joins {0,1}, whose threshold becomes 0.1 + 0.2/2 = 0.2; e12 0.2 <= min(0.2, 0.2) joins.
    expect(Array.from(felzenszwalbSegment(strip, { k: 0.2, sigma: 0, minSize: 1 }).labels)).toEqual([0, 0, 0]);
    // k = 0.15: after e01 the threshold is 0.1 + 0.15/2 = 0.175 < 0.2, so pixel 2 stays alone.
    expect(Array.from(felzenszwalbSegment(strip, { k: 0.15, sigma: 0, minSize: 1 }).labels)).toEqual([0, 0, 1]);
    // k = 0.05: e01 0.1 > 0.05: three regions; minSize 2 then joins along e01 (lightest), then e12.
    expect(felzenszwalbSegment(strip, { k: 0.05, sigma: 0, minSize: 1 }).count).toBe(3);
    expect(felzenszwalbSegment(strip, { k: 0.05, sigma: 0, minSize: 2 }).count).toBe(1);
  });
  it('merges components below minSize into a neighbour', () => {
    const dot = image(5, 5, (x, y) => (x === 2 && y === 2 ? 1 : 0));
    expect(felzenszwalbSegment(dot, { k: 0.1, sigma: 0, minSize: 1 }).count).toBe(2);
    expect(felzenszwalbSegment(dot, { k: 0.1, sigma: 0, minSize: 2 }).count).toBe(1);
  });
  it('works on several channels (Euclidean distance of the pixel vectors)', () => {
    // Two halves that differ only in the second channel.
    const data = new Float32Array(4 * 2 * 2);
    for (let p = 0; p < 8; p++) data[p * 2 + 1] = p % 4 < 2 ? 0 : 1;
    expect(felzenszwalbSegment({ width: 4, height: 2, channels: 2, data }, { k: 0.1, sigma: 0, minSize: 1 }).count).toBe(2);
  });
  it('names bad input', () => {
    const img = image(2, 2, () => 0);
    expect(() => felzenszwalbSegment(img, { k: -1 })).toThrow(/felzenszwalbSegment: 'k' must be a non-negative number, got -1/);
    expect(() => felzenszwalbSegment(img, { minSize: 0 })).toThrow(/'minSize' must be a positive integer/);
    expect(() => felzenszwalbSegment({ ...img, data: [0, 0, 0] })).toThrow(/'image.data' must be width·height·channels = 4 values, got 3/);
    expect(() => felzenszwalbSegment({ ...img, channels: 0 })).toThrow(/'image.channels' must be a positive integer/);
  });
});

describe('hierarchicalGrouping', () => {
  // 7x2 image, three flat stripes: A = columns 0-1 (0.0, 4 px), B = columns 2-3 (0.50, 4 px), C = columns 4-6 (0.51, 6 px).
  // With k = 0.001 no edge across stripes joins (0.01 > 0.001/4), so the segmentation is A = 0, B = 1, C = 2.
  const stripes = image(7, 2, (x) => (x < 2 ? 0 : x < 4 ? 0.5 : 0.51));
  const seg = felzenszwalbSegment(stripes, { k: 0.001, sigma: 0, minSize: 1 });

  it('merges the most similar neighbours first, then the rest (hand-worked similarities)', () => {
    expect(seg.count).toBe(3);
    // Colour bins (25 over 0..1): A → bin 0, B → floor(0.50·25) = 12, C → floor(0.51·25) = 12.
    // s(A,B) = colour 0 + size 1 - 8/14 + fill 1 - (8 - 8)/14 = 0 + 6/14 + 1 = 1.4286
    // s(B,C) = colour 1 + size 1 - 10/14 + fill 1 - (10 - 10)/14 = 1 + 4/14 + 1 = 2.2857   (A and C are not neighbours)
    // So B,C merge first into region 3 = columns 2-6; then A with 3: colour 0 + size 1 - 14/14 + fill 1 = 1.
    const g = hierarchicalGrouping(stripes, seg);
    expect(g.steps.length).toBe(2);
    expect(g.steps[0].merged).toEqual([1, 2]);
    expect(g.steps[0].into).toBe(3);
    expect(g.steps[0].similarity).toBeCloseTo(2 + 4 / 14, 12);
    expect(g.steps[0].box).toEqual([2, 0, 7, 2]);
    expect(g.steps[1].merged).toEqual([0, 3]);
    expect(g.steps[1].similarity).toBeCloseTo(1, 12);
    expect(g.steps[1].box).toEqual([0, 0, 7, 2]);
    expect(g.regions.map((r) => r.size)).toEqual([4, 4, 6, 10, 14]);
  });
  it('with size alone, the two small stripes go first: 6/14 (A,B) > 4/14 (B,C)', () => {
    const g = hierarchicalGrouping(stripes, seg, { similarities: ['size'] });
    expect(g.steps[0].merged).toEqual([0, 1]);
    expect(g.steps[0].similarity).toBeCloseTo(6 / 14, 12);
  });
  it('fill prefers a region that fills the other\'s box', () => {
    // 4x3 labels by hand: region 0 is an L (top row x 0-2 and left column), region 1 the 2x2 it wraps,
    // region 2 the right column (3 px). |image| = 12.
    const labels = Int32Array.from([0, 0, 0, 2, 0, 1, 1, 2, 0, 1, 1, 2]);
    const img = image(4, 3, (x, y) => [0.1, 0.5, 0.9][labels[y * 4 + x]]);
    const g = hierarchicalGrouping(img, { width: 4, height: 3, labels, count: 3 }, { similarities: ['fill'] });
    // (0,1): box 3x3 = 9, 9 - 5 - 4 = 0 → 1. (0,2): box 4x3 = 12, 12 - 5 - 3 = 4 → 8/12. (1,2): 10/12.
    expect(g.steps[0].merged).toEqual([0, 1]);
    expect(g.steps[0].similarity).toBeCloseTo(1, 12);
  });
  it('texture similarity is a histogram intersection in [0, 1]', () => {
    const g = hierarchicalGrouping(stripes, seg, { similarities: ['texture'] });
    for (const s of g.steps) {
      expect(s.similarity).toBeGreaterThanOrEqual(0);
      expect(s.similarity).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
  it('names bad input', () => {
    expect(() => hierarchicalGrouping(stripes, seg, { similarities: ['shape' as never] })).toThrow(/hierarchicalGrouping: 'similarities' must be one of 'colour', 'size', 'fill', 'texture', got 'shape'/);
    expect(() => hierarchicalGrouping(stripes, { ...seg, labels: new Int32Array(3) })).toThrow(/'segmentation' must be one label per pixel \(14\)/);
  });
});

describe('selectiveSearch', () => {
  it('returns every region\'s box, the last merge first when no seed is given', () => {
    const stripes = image(7, 2, (x) => (x < 2 ? 0 : x < 4 ? 0.5 : 0.51));
    const r = selectiveSearch(stripes, { k: 0.001, sigma: 0, minSize: 1 });
    // Regions in creation order 0 (A), 1 (B), 2 (C), 3 (B∪C), 4 (all); position from the top: 4 → 1, 3 → 2, ...
    expect(r.boxes).toEqual([
      [0, 0, 7, 2],
      [2, 0, 7, 2],
      [4, 0, 7, 2],
      [2, 0, 4, 2],
      [0, 0, 2, 2],
    ]);
    // A seed reorders the same boxes (position × random number), reproducibly.
    const a = selectiveSearch(stripes, { k: 0.001, sigma: 0, minSize: 1, seed: 3 }).boxes;
    expect(selectiveSearch(stripes, { k: 0.001, sigma: 0, minSize: 1, seed: 3 }).boxes).toEqual(a);
    expect([...a].sort()).toEqual([...r.boxes].sort());
    // Every box is 2 px tall: minBoxSize 2 keeps them all, 3 drops them all.
    expect(selectiveSearch(stripes, { k: 0.001, sigma: 0, minSize: 1, minBoxSize: 2 }).boxes.length).toBe(5);
    expect(selectiveSearch(stripes, { k: 0.001, sigma: 0, minSize: 1, minBoxSize: 3 }).boxes).toEqual([]);
  });
  it('finds a bright square on a dark canvas as one of its boxes', () => {
    const img = image(24, 24, (x, y) => (x >= 6 && x < 14 && y >= 8 && y < 18 ? 0.9 : 0.1));
    const { boxes } = selectiveSearch(img, { k: 0.5, sigma: 0.8, minSize: 10 });
    expect(boxes).toContainEqual([6, 8, 14, 18]);
    expect(boxes).toContainEqual([0, 0, 24, 24]);
  });
});
