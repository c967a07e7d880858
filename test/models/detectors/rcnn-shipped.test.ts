import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchmarkScenes, evaluateSceneDetector, loadRegionDetector, listRegionDetectors } from '../../../src/models/index';
import { TEST_SUBSET } from '../../../scripts/weights/lesson-08-rcnn';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// Lesson 8's shipped R-CNN and Fast R-CNN (scripts/weights/lesson-08-rcnn.ts): loaded in Node as the lesson loads them,
// re-scored on the scene benchmark's first TEST_SUBSET scenes against the numbers written beside the weights, with
// detections in image pixels. The same code scored them, so they agree up to float noise between runs.
trainOnFastestBackend();

describe('shipped R-CNN and Fast R-CNN', () => {
  for (const name of listRegionDetectors()) {
    it(`${name}: the recorded subset score is re-measured, boxes are in the scene's pixels, tensors freed`, async () => {
      const before = tf.memory().numTensors;
      const det = await loadRegionDetector(name);
      const recorded = JSON.parse(readFileSync(`weights/lesson-08/${name}/scores.json`, 'utf8'));
      expect(recorded.subset.images).toBe(TEST_SUBSET);
      const measured = await evaluateSceneDetector(det, { count: TEST_SUBSET });
      expect(measured.AP).toBeCloseTo(recorded.subset.AP, 3);
      expect(measured.AP50).toBeCloseTo(recorded.subset.AP50, 3);
      // A detector that learned something: the full benchmark's AP50 written beside the weights.
      expect(recorded.benchmark.AP50).toBeGreaterThan(0.5);
      const [scene] = await benchmarkScenes(1);
      const found = await det.detect(scene, { scoreThreshold: 0.5 });
      expect(found.length).toBeGreaterThan(0);
      for (const d of found) {
        expect(d.box[0]).toBeGreaterThanOrEqual(0);
        expect(d.box[2]).toBeLessThanOrEqual(scene.width);
        expect(d.box[3]).toBeLessThanOrEqual(scene.height);
        expect(d.label).toBe(String(d.classId));
      }
      det.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
