import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { benchmarkScenes, evaluateSceneDetector, loadSceneDetector } from '../../../src/models/detectors/index';
import type { CascadeRcnn } from '../../../src/models/detectors/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// The shipped Cascade R-CNN (weights/lesson-09/cascade-rcnn, made by scripts/weights/lesson-09.ts and scored by
// cascade-score.ts on the same wasm backend) still scores what its scores.json says on the benchmark subset it
// recorded, through the course's own evaluateSceneDetector; and loadSceneDetector returns boxes in pixels.
trainOnFastestBackend();

const scores = JSON.parse(readFileSync(new URL('../../../weights/lesson-09/cascade-rcnn/scores.json', import.meta.url), 'utf8'));

describe("the shipped Cascade R-CNN (SCENE_DETECTORS 'cascade-rcnn')", () => {
  it("re-measures the subset's AP, AP50 and AP75 written beside the weights; boxes in the scene's pixels; no leaks", async () => {
    const before = tf.memory().numTensors;
    const det = (await loadSceneDetector('cascade-rcnn')) as CascadeRcnn;
    const { subset } = scores;
    expect(subset.scenes).toBeGreaterThanOrEqual(10);
    const r = await evaluateSceneDetector(det, { count: subset.scenes });
    expect(r.images).toBe(subset.scenes);
    // scores.json rounds to 4 decimals.
    expect(r.AP).toBeCloseTo(subset.AP, 3);
    expect(r.AP50).toBeCloseTo(subset.AP50, 3);
    expect(r.AP75).toBeCloseTo(subset.AP75, 3);
    const [scene] = await benchmarkScenes(1);
    for (const d of await det.detect(scene, { scoreThreshold: 0.05 })) {
      const [x1, y1, x2, y2] = d.box;
      expect(x1).toBeGreaterThanOrEqual(0);
      expect(y2).toBeLessThanOrEqual(128);
      expect(x2).toBeGreaterThan(x1);
      expect(y2).toBeGreaterThan(y1);
    }
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
