import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { digitScenes } from '../../src/data/index';
import { FasterRcnn, loadSceneDetector } from '../../src/models/index';
import { detectorCam } from '../../src/explain';

// The per-level maps on the shipped Faster R-CNN + FPN (weights/lesson-08/faster-rcnn) for its best
// detection on one benchmark-sized scene, as Lesson 17's detector cell draws them.
describe('detectorCam on the shipped Faster R-CNN', () => {
  it('one map per level P2..P5 of a 128 px scene, the assigned level marked, no leak', async () => {
    const det = await loadSceneDetector('faster-rcnn');
    const [scene] = await digitScenes({ seed: 7, count: 1, size: 128 });
    const before = tf.memory().numTensors;
    const found = await det.detect(scene!, { scoreThreshold: 0.05, maxDetections: 5 });
    expect(found.length).toBeGreaterThan(0);
    if (!(det instanceof FasterRcnn)) throw new Error('the shipped faster-rcnn is not a FasterRcnn');
    const levels = await detectorCam(det, scene!.image, found[0]!);
    expect(levels.map((l) => [l.stride, ...l.map.shape])).toEqual([[4, 32, 32], [8, 16, 16], [16, 8, 8], [32, 4, 4]]);
    expect(levels.filter((l) => l.assigned)).toHaveLength(1);
    expect(levels.some((l) => Math.max(...l.map.dataSync()) > 0)).toBe(true);
    tf.dispose(levels.map((l) => l.map));
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
  });
});
