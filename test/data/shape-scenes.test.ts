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
});
