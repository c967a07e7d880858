import { describe, expect, it } from 'vitest';
import { shapeGlyph, shapeScenes } from '../../src/data/shape-scenes';
import { maskInk } from '../../src/data/scene';

describe('shapeScenes', () => {
  it('is deterministic per seed and RGB', () => {
    const a = shapeScenes({ seed: 1, count: 5 });
    const b = shapeScenes({ seed: 1, count: 5 });
    const c = shapeScenes({ seed: 2, count: 5 });
    expect(a[0].channels).toBe(3);
    expect(a[0].image.length).toBe(64 * 64 * 3);
    expect(a.map((s) => Array.from(s.image))).toEqual(b.map((s) => Array.from(s.image)));
    expect(a.map((s) => s.objects.map((o) => o.box))).not.toEqual(c.map((s) => s.objects.map((o) => o.box)));
  });

  it('boxes are tight around each shape visible coverage and labels name a shape', () => {
    for (const s of shapeScenes({ seed: 3, count: 20, maxObjects: 5 })) {
      for (const o of s.objects) {
        expect(o.box).toEqual(maskInk(o.mask!)!.box);
        expect([0, 1, 2]).toContain(o.label);
      }
    }
  });

  it('an unrotated circle of diameter 10 has a 10x10 box; a square of circumdiameter 10 has side 10/sqrt2', () => {
    // circle: coverage > 0.2 spans the full diameter when the centre is on a pixel corner (patch 12x12, centre 6)
    const circle = maskInk(shapeGlyph(0, 10, 0, [1, 1, 1]))!;
    expect(circle.box).toEqual([1, 1, 11, 11]);
    // square: half side 5/sqrt2 = 3.54 around centre 6 -> [2.46, 9.54]; edge pixels 2 and 9 are 54% covered
    const square = maskInk(shapeGlyph(1, 10, 0, [1, 1, 1]))!;
    expect(square.box).toEqual([2, 2, 10, 10]);
  });

  it('range-checks clutter, noise and the other options, naming the option', () => {
    for (const clutter of [-1, Number.NaN, Infinity, 1e6, 0.5]) expect(() => shapeScenes({ count: 1, clutter })).toThrow(/shapeScenes: 'clutter' must be/);
    for (const noise of [-0.1, Number.NaN, 3]) expect(() => shapeScenes({ count: 1, noise })).toThrow(/shapeScenes: 'noise' must be a number in \[0, 1\]/);
    expect(() => shapeScenes({ count: -1 })).toThrow(/shapeScenes: 'count'/);
    expect(() => shapeScenes({ maxIoU: 2 })).toThrow(/shapeScenes: 'maxIoU'/);
    expect(() => shapeScenes({ minVisible: -0.5 })).toThrow(/shapeScenes: 'minVisible'/);
    expect(() => shapeScenes({ minObjects: -1 })).toThrow(/shapeScenes: 'minObjects'/);
  });

  it('clutter adds unlabelled fragments: more lit pixels, same objects and boxes still tight', () => {
    const lit = (scenes: ReturnType<typeof shapeScenes>) => scenes.reduce((n, s) => n + s.image.filter((v) => v > 0.2).length, 0);
    const plain = shapeScenes({ seed: 4, count: 10, clutter: 0 });
    const cluttered = shapeScenes({ seed: 4, count: 10, clutter: 8 });
    expect(lit(cluttered)).toBeGreaterThan(lit(plain));
    for (const s of cluttered) {
      for (const o of s.objects) expect(o.box).toEqual(maskInk(o.mask!)!.box);
    }
    // deterministic with clutter too, and the default (no clutter) keeps the earlier scenes unchanged
    expect(shapeScenes({ seed: 4, count: 10, clutter: 8 }).map((s) => Array.from(s.image))).toEqual(cluttered.map((s) => Array.from(s.image)));
    expect(shapeScenes({ seed: 4, count: 10 }).map((s) => Array.from(s.image))).toEqual(plain.map((s) => Array.from(s.image)));
  });

  it('carries its class names, the shapes', () => {
    expect(shapeScenes({ seed: 1, count: 1 })[0].classNames).toEqual(['circle', 'square', 'triangle']);
  });
});
