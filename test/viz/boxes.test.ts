import { describe, expect, it } from 'vitest';
import { boxesMarkup, boxesSvgMarkup, enclosingBox, escapeXml, intersectionBox } from '../../src/viz/boxes';

describe('boxesMarkup', () => {
  it('draws a box in screen pixels', () => {
    // [2, 3, 7, 11] at scale 2: x = 4, y = 6, width (7 - 2) * 2 = 10, height (11 - 3) * 2 = 16
    expect(boxesMarkup([{ box: [2, 3, 7, 11], color: 'red' }], 2)).toBe(
      '<rect x="4" y="6" width="10" height="16" fill="none" stroke="red" stroke-width="2" stroke-opacity="1"/>',
    );
  });
  it('normalises inverted corners, escapes labels and adds attributes', () => {
    const m = boxesMarkup([{ box: [10, 10, 0, 0], label: 'a<b & "c"', dashed: true, attrs: { 'data-i': 3 } }]);
    expect(m).toContain('x="0" y="0" width="10" height="10"');
    expect(m).toContain('stroke-dasharray="4 3"');
    expect(m).toContain('data-i="3"');
    expect(m).toContain('>a&lt;b &amp; &quot;c&quot;</text>');
  });
  it('names the bad mark', () => {
    expect(() => boxesMarkup([{ box: [0, 0, 1, 1] }, { box: [0, NaN, 1, 1] }])).toThrow(/marks\[1\]\.box/);
  });
});

describe('boxesSvgMarkup', () => {
  it('sizes the svg by scale and puts the image under the boxes', () => {
    const s = boxesSvgMarkup({ width: 64, height: 32, scale: 3, image: 'data:x', marks: [{ box: [0, 0, 1, 1] }] });
    expect(s).toMatch(/^<svg [^>]*width="192" height="96"/);
    expect(s.indexOf('<image')).toBeLessThan(s.indexOf('<rect'));
  });
  it('rejects an empty canvas', () => {
    expect(() => boxesSvgMarkup({ width: 0, height: 10, marks: [] })).toThrow(/positive/);
  });
});

describe('box geometry', () => {
  it('intersection and enclosing box', () => {
    expect(intersectionBox([0, 0, 2, 2], [1, 1, 3, 3])).toEqual([1, 1, 2, 2]);
    expect(intersectionBox([0, 0, 1, 1], [1, 0, 2, 1])).toBeNull(); // touching edges
    expect(enclosingBox([0, 0, 1, 1], [2, 0, 3, 1])).toEqual([0, 0, 3, 1]);
  });
  it('escapeXml', () => {
    expect(escapeXml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});
