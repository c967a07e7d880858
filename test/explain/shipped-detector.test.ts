import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { digitScenes } from '../../src/data/index';
import { CascadeRcnn, FasterRcnn, loadSceneDetector } from '../../src/models/index';
import { detectorCam } from '../../src/explain';

// The per-level maps on the shipped detectors (weights/lesson-08/faster-rcnn and
// weights/lesson-09/cascade-rcnn) for their best detection on one benchmark-sized scene, as Lesson 17's
// detector cell draws them. The score is one box head's class logit for the detection's box pooled from
// one level (pytorch-grad-cam's FasterRCNNBoxScoreTarget idea: the class score of one box).
describe('detectorCam on the shipped detectors', () => {
  it('Faster R-CNN: one map per level P2..P5 of a 128 px scene, the assigned level marked, no leak', async () => {
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
    // A Faster R-CNN has one box head: a stage is refused, as is a box that is not four numbers.
    await expect(detectorCam(det, scene!.image, found[0]!, 'grad-cam', { stage: 2 })).rejects.toThrow(/'options.stage' must be given only for a Cascade R-CNN/);
    await expect(detectorCam(det, scene!.image, { box: [1, 2, 3], classId: 0 })).rejects.toThrow(/'detection.box' must be \[x1, y1, x2, y2\]/);
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
  });

  it('Cascade R-CNN: one map per level for a ground-truth box, scored by the last stage head unless a stage is given; no leak', async () => {
    const det = await loadSceneDetector('cascade-rcnn');
    if (!(det instanceof CascadeRcnn)) throw new Error('the shipped cascade-rcnn is not a CascadeRcnn');
    const [scene] = await digitScenes({ seed: 7, count: 1, size: 128 });
    const before = tf.memory().numTensors;
    // A ground-truth digit (the shipped cascade finds little above 0.05 on these scenes, see the report of issue 17).
    const o = scene!.objects[0]!;
    const d = { box: o.box, classId: o.label };
    const last = await detectorCam(det, scene!.image, d);
    expect(last.map((l) => [l.stride, ...l.map.shape])).toEqual([[4, 32, 32], [8, 16, 16], [16, 8, 8], [32, 4, 4]]);
    expect(last.filter((l) => l.assigned)).toHaveLength(1);
    for (const l of last) expect(Number.isFinite(l.score)).toBe(true);
    // Three heads, three different logits for the same pooled box.
    const first = await detectorCam(det, scene!.image, d, 'grad-cam', { stage: 1 });
    const third = await detectorCam(det, scene!.image, d, 'grad-cam', { stage: 3 });
    expect(third.map((l) => l.score)).toEqual(last.map((l) => l.score));
    expect(first.find((l) => l.assigned)!.score).not.toBeCloseTo(last.find((l) => l.assigned)!.score, 3);
    tf.dispose([...last, ...first, ...third].map((l) => l.map));
    await expect(detectorCam(det, scene!.image, d, 'grad-cam', { stage: 4 })).rejects.toThrow(/'options.stage' must be a stage from 1 to 3, got 4/);
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
  });
});
