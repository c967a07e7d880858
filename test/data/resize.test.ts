import { describe, expect, it } from 'vitest';
import { resize, resampleRegion } from '../../src/data/resize';

// Reference: PIL's BILINEAR resize (triangle filter, support widened by 1/scale
// when shrinking), which torchvision follows with antialias=True.
describe('resize', () => {
  it('enlarges 2 -> 4 like bilinear with half-pixel centres and edge clamp', () => {
    // output centres map to source 0.25, 0.75, 1.25, 1.75 (minus 0.5 for the pixel centre):
    // [0, 0.25*1, 0.75*1, 1] for the row [0, 1]
    const out = resize(Float32Array.of(0, 1), 2, 1, 1, 4, 1);
    expect(Array.from(out)).toEqual([0, 0.25, 0.75, 1]);
  });

  it('shrinks 4 -> 2 with the widened triangle filter', () => {
    // output 0: centre 1.0, support 2; taps at 0.5, 1.5, 2.5 weigh 0.75, 0.75, 0.25
    // value = (0*0.75 + 1*0.75 + 2*0.25) / 1.75 = 1.25 / 1.75
    const out = resize(Float32Array.of(0, 1, 2, 3), 4, 1, 1, 2, 1);
    expect(out[0]).toBeCloseTo(1.25 / 1.75, 6);
    // output 1 mirrors it: 3 - 1.25/1.75
    expect(out[1]).toBeCloseTo(3 - 1.25 / 1.75, 6);
  });

  it('keeps a constant image constant', () => {
    const out = resize(new Float32Array(28 * 28).fill(0.5), 28, 28, 1, 9, 13);
    for (const v of out) expect(v).toBeCloseTo(0.5, 6);
  });

  it('resampleRegion on a region equals the same part of a full-image resize', () => {
    const W = 10;
    const img = new Float32Array(W * W);
    for (let r = 3; r < 6; r++) for (let c = 2; c < 7; c++) img[r * W + c] = (r * 7 + c) % 5 / 4;
    const full = resize(img, W, W, 1, 20, 20);
    const region = new Float32Array(3 * 5);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 5; c++) region[r * 5 + c] = img[(r + 3) * W + c + 2];
    const part = resampleRegion(region, { x: 2, y: 3, width: 5, height: 3 }, W, W, 1, 2, [0, 0], { x: 3, y: 5, width: 12, height: 8 });
    for (let r = 0; r < 8; r++) for (let c = 0; c < 12; c++) expect(part[r * 12 + c]).toBeCloseTo(full[(r + 5) * 20 + c + 3], 6);
  });
});
