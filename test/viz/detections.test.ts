import { describe, expect, it } from 'vitest';
import { classColor, DETECTION_COLORS, detectionLabel, detectionsSvgMarkup, labelPosition } from '../../src/viz/detections';

describe('classColor', () => {
  it('gives one colour per class, cycling through ten', () => {
    expect(classColor(0)).toBe(DETECTION_COLORS[0]);
    expect(classColor(12)).toBe(DETECTION_COLORS[2]);
    expect(classColor(2)).toBe(classColor(2));
    expect(classColor(-1)).toBe(DETECTION_COLORS[9]);
    expect(classColor(NaN)).toBe(DETECTION_COLORS[0]);
  });
});

describe('detectionLabel', () => {
  it('rounds the score to two decimals', () => {
    expect(detectionLabel({ label: 'car', score: 0.8765 })).toBe('car 0.88');
    expect(detectionLabel({ label: 'person', score: 1 })).toBe('person 1.00');
  });
});

describe('labelPosition', () => {
  it('puts the tag above the box when there is room', () => {
    // gap = 12/4 = 3: baseline at 40 - 3 = 37, and 37 >= 12 leaves room for the text
    expect(labelPosition([10, 40, 50, 80], 12)).toEqual({ x: 10, y: 37, inside: false });
  });
  it('puts it inside the top edge at the photo top', () => {
    // 5 - 3 = 2 < 12: inside, baseline at 5 + 12 = 17
    expect(labelPosition([10, 5, 50, 80], 12)).toEqual({ x: 10, y: 17, inside: true });
  });
  it('handles inverted corners', () => {
    expect(labelPosition([50, 80, 10, 40], 12).x).toBe(10);
  });
});

describe('detectionsSvgMarkup', () => {
  const found = [
    { box: [10, 40, 50, 80], score: 0.9, classId: 2, label: 'car' },
    { box: [0, 0, 20, 20], score: 0.4, classId: 0, label: 'a<b' },
  ];
  it('uses the photo pixels as viewBox and scales to the display width', () => {
    const s = detectionsSvgMarkup({ width: 1280, height: 720, detections: found, displayWidth: 640, href: 'blob:x' });
    // 640 wide shows 720 * 640/1280 = 360 high; viewBox stays in photo pixels
    expect(s).toMatch(/^<svg [^>]*width="640" height="360" viewBox="0 0 1280 720"/);
    // 2 photo px per screen px: 12 px labels are 24 photo px, 2 px strokes are 4
    expect(s).toContain('font-size="24"');
    expect(s).toContain('stroke-width="4"');
    expect(s.indexOf('<image href="blob:x"')).toBeLessThan(s.indexOf('<rect'));
  });
  it('draws the best box last (on top) and escapes labels', () => {
    const s = detectionsSvgMarkup({ width: 100, height: 100, detections: found });
    expect(s.indexOf('a&lt;b 0.40')).toBeLessThan(s.indexOf('car 0.90'));
    expect(s).toContain('<title>2 detections</title>');
    expect(s).toContain('x="10" y="40" width="40" height="40"');
    expect(s).toContain('fill="white">car 0.90</text>'); // white text on a tag of the class colour
  });
  it('draws a grey background without a photo, and no boxes for no detections', () => {
    const s = detectionsSvgMarkup({ width: 10, height: 10, detections: [] });
    expect(s).toContain('fill="#888"');
    expect(s).not.toContain('vn-detection');
    expect(s).toContain('<title>0 detections</title>');
  });
  it('rejects an empty photo and a bad box with a message', () => {
    expect(() => detectionsSvgMarkup({ width: 0, height: 0, detections: [] })).toThrow(/positive size, got 0 x 0/);
    expect(() => detectionsSvgMarkup({ width: 10, height: 10, detections: [{ box: [0, 0, NaN, 1], score: 1, classId: 0, label: 'x' }] })).toThrow(
      /detections\[0\]\.box/,
    );
    expect(() => detectionsSvgMarkup({ width: 10, height: 10, detections: [], displayWidth: -1 })).toThrow(/displayWidth/);
  });
});
