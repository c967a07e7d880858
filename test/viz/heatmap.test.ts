import { describe, expect, it } from 'vitest';
import { letterboxTransform, unletterboxBox } from '../../src/models/pretrained/letterbox';
import { checkGrid, gridCellInPhoto, heatmapLegendMarkup, heatmapRgba, inputSquareInPhoto, rampColor } from '../../src/viz/heatmap';

describe('inputSquareInPhoto', () => {
  it('places the 512 input square of the 704x576 car park', () => {
    // scale 512/704; height round(576 * 512/704) = round(418.9) = 419, padY = floor((512 - 419) / 2) = 46
    const t = letterboxTransform(704, 576, 512);
    const r = inputSquareInPhoto(t);
    expect(r.x).toBeCloseTo(0, 9);
    expect(r.width).toBeCloseTo(704, 9);
    expect(r.y).toBeCloseTo(-46 / (419 / 576), 9); // -63.24
    expect(r.height).toBeCloseTo(512 / (419 / 576), 9); // 703.85
  });
  it('agrees with unletterboxBox on the photo part of the square', () => {
    const t = letterboxTransform(300, 900, 416);
    const r = inputSquareInPhoto(t);
    // the square's corners map to r's corners; clipped to the photo they are the photo itself
    expect(unletterboxBox([0, 0, 416, 416], t)).toEqual([Math.max(0, r.x), Math.max(0, r.y), Math.min(300, r.x + r.width), Math.min(900, r.y + r.height)]);
  });
});

describe('gridCellInPhoto', () => {
  it('maps a cell through the letterbox like unletterboxBox', () => {
    const t = letterboxTransform(704, 576, 512);
    const c = gridCellInPhoto(30, 70, 4, t); // input pixels x 280-284, y 120-124
    const b = unletterboxBox([280, 120, 284, 124], t);
    expect(c.x).toBeCloseTo(b[0], 9);
    expect(c.y).toBeCloseTo(b[1], 9);
    expect(c.x + c.width).toBeCloseTo(b[2], 9);
    expect(c.y + c.height).toBeCloseTo(b[3], 9);
  });
  it('tiles the input square: the last cell of a 128 grid ends where the square ends', () => {
    const t = letterboxTransform(640, 480, 512);
    const r = inputSquareInPhoto(t);
    const c = gridCellInPhoto(127, 127, 4, t);
    expect(c.x + c.width).toBeCloseTo(r.x + r.width, 9);
    expect(c.y + c.height).toBeCloseTo(r.y + r.height, 9);
  });
});

describe('rampColor and heatmapRgba', () => {
  it('runs from the first to the last stop, clamped', () => {
    expect(rampColor(0)).toEqual([40, 11, 84]);
    expect(rampColor(1)).toEqual([252, 255, 164]);
    expect(rampColor(-3)).toEqual(rampColor(0));
    expect(rampColor(7)).toEqual(rampColor(1));
    // halfway between stops 0.5 [203, 71, 71] and 0.75 [249, 142, 9]: [226, 106.5 -> 107, 40]
    expect(rampColor(0.625)).toEqual([226, 107, 40]);
  });
  it('makes opacity proportional to the score', () => {
    // 0 -> alpha 0; 1 at maxAlpha 0.5 -> 127.5 -> 128
    expect(Array.from(heatmapRgba([0, 1], { maxAlpha: 0.5 }))).toEqual([40, 11, 84, 0, 252, 255, 164, 128]);
    // vmax 0.5: 0.25 is half-way -> alpha 0.75 * 0.5 * 255 = 95.6 -> 96
    expect(heatmapRgba([0.25], { vmax: 0.5 })[3]).toBe(96);
    expect(heatmapRgba([NaN])[3]).toBe(0);
  });
  it('rejects bad options', () => {
    expect(() => heatmapRgba([0], { vmax: 0 })).toThrow(/vmax/);
    expect(() => heatmapRgba([0], { maxAlpha: 2 })).toThrow(/maxAlpha/);
  });
});

describe('checkGrid', () => {
  it('names a size mismatch', () => {
    expect(() => checkGrid(new Float32Array(12), 3, 4)).not.toThrow();
    expect(() => checkGrid(new Float32Array(10), 3, 4)).toThrow(/3x4 map needs 12 values, got 10/);
    expect(() => checkGrid([], 0, 4)).toThrow(/positive whole numbers/);
  });
});

describe('heatmapLegendMarkup', () => {
  it('labels both ends', () => {
    const s = heatmapLegendMarkup({ vmax: 0.5, width: 100 });
    expect(s).toContain('>0</text>');
    expect(s).toContain('>0.5</text>');
    expect(s).toContain('width="100"');
  });
});
