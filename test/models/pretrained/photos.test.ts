import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { assets as photoAssets } from '../../../scripts/assets/photos';
import { LESSON_PHOTOS } from '../../../src/models/pretrained';
import { realDetectorsForTests } from '../../helpers/real-detectors';

/**
 * The people photos shipped for lesson 12 are there to be detected on: both
 * detectors must find what the captions promise, read from the files the
 * site serves. WASM, as in detectors.test.ts: the CPU backend takes seconds an image.
 */
describe('the shipped people photos', () => {
  const detectors = realDetectorsForTests();

  const expected: Record<string, string> = { 'costume-party': 'wine glass', 'bar-sofa': 'cup' };
  for (const [name, thing] of Object.entries(expected)) {
    it(`${name}: both detectors find 3 people scoring >= 0.3 and a ${thing}, and leak nothing`, async () => {
      const info = LESSON_PHOTOS.find((p) => p.name === name)!;
      expect(info.licence).toMatch(/^MIT/);
      const bytes = await photoAssets.find((a) => a.url === info.url)!.load();
      const photo = jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 1024 });
      const base = tf.memory().numTensors;
      for (const detector of [detectors.centernet, detectors.nanodet]) {
        const found = await detector.detect(photo, { scoreThreshold: 0.3, iouThreshold: 0.5 });
        expect(found.filter((d) => d.label === 'person').length, `${detector.name}: ${found.map((d) => d.label).join(', ')}`).toBeGreaterThanOrEqual(3);
        expect(found.some((d) => d.label === thing), `${detector.name}: ${found.map((d) => d.label).join(', ')}`).toBe(true);
        // no car park, no cars: the detectors are not just naming what the other photo has
        expect(found.some((d) => d.label === 'car')).toBe(false);
      }
      expect(tf.memory().numTensors).toBe(base);
    });
  }
});
