import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIGIT_CLASSES, digitScenes } from '../../src/data/index';
import { buildBackbone } from '../../src/models/backbones/index';
import { createFasterRcnn } from '../../src/models/detectors/index';
import { Cam, defaultCamLayer, detectorCam, explain, GradCam, listExplainers, vitRollout } from '../../src/explain';
import { loadSiteModel } from '../../src/train/io';
import { digit, testDigits } from './helpers';

// Every map method on each kind of model the course ships: the residual CNN of Lesson 2, the ViT of
// Lesson 3 (tokens reshaped to the 4x4 patch grid, pytorch-grad-cam's reshape_transform), the Swin of
// Lesson 4 (stage maps are already grids) and a Faster R-CNN + FPN (one map per pyramid level).

describe('explanations on the course models', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => expect(tf.memory().numTensors).toBe(before));

  it('the residual CNN: CAM = 49 x Grad-CAM through the skip connections; every method runs without a leak', async () => {
    const model = await loadSiteModel('weights/lesson-02/residual/model.json');
    const { xs, labels } = await testDigits(1);
    before = tf.memory().numTensors;
    const x = digit(xs, 0);
    expect(defaultCamLayer(model)).toBe('stage3_4_out');
    const cam = await new Cam().explain({ model, input: x, target: labels[0] });
    const grad = await new GradCam().explain({ model, input: x, target: labels[0] });
    const c = cam.dataSync();
    const peak = Math.max(...c);
    grad.dataSync().forEach((g, k) => expect(Math.abs(c[k] - 49 * g)).toBeLessThan(1e-4 * peak));
    tf.dispose([cam, grad]);
    // A layer inside a residual block: its gradient arrives through both branches.
    for (const { name } of listExplainers()) {
      const layer = name === 'cam' ? undefined : 'stage2_2_out';
      const n = tf.memory().numTensors;
      const m = await explain(name, { model, input: x, target: labels[0], layer, patch: 7 });
      expect(tf.memory().numTensors, name).toBe(n + 1);
      expect(m.dataSync().every(Number.isFinite), name).toBe(true);
      m.dispose();
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('ViT: Grad-CAM on the tokens of the last block (reshaped to 4x4) and attention rollout', async () => {
    const model = await loadSiteModel('weights/lesson-03/vit-8000/model.json');
    const { xs, labels } = await testDigits(1);
    before = tf.memory().numTensors;
    const x = digit(xs, 0);
    expect(defaultCamLayer(model)).toBe('encoder_layer_1_ln_1');
    for (const method of ['grad-cam', 'grad-cam++', 'score-cam', 'eigen-cam']) {
      const m = await explain(method, { model, input: x, target: labels[0] });
      expect(m.shape, method).toEqual([4, 4]);
      expect(Math.max(...m.dataSync()), method).toBeGreaterThan(0);
      m.dispose();
    }
    await expect(explain('cam', { model, input: x })).rejects.toThrow(/GlobalAveragePooling2D/);
    const r = await vitRollout(model, x);
    expect(r.shape).toEqual([4, 4]);
    // Row 0 of the rollout sums to 1 over all 17 tokens; the patches get a positive share of it.
    const total = Array.from(r.dataSync()).reduce((s, v) => s + v, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(1);
    r.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('Swin: Grad-CAM on a stage map and CAM on its GAP head', async () => {
    const model = await loadSiteModel('weights/lesson-04/swin-tiny/model.json');
    const { xs, labels } = await testDigits(1);
    const x = digit(xs, 0);
    // Each window attention keeps its index and mask tensors after its first call (one pair per layer):
    // run the model once before counting.
    tf.dispose(model.predict(x) as tf.Tensor);
    before = tf.memory().numTensors;
    const m = await explain('grad-cam', { model, input: x, target: labels[0], layer: 'C3' });
    expect(m.shape).toEqual([4, 4]);
    expect(Math.max(...m.dataSync())).toBeGreaterThan(0);
    // Swin's head is norm -> avgpool -> head: CAM must be asked at the LayerNorm that feeds the pool.
    await expect(explain('cam', { model, input: x, layer: 'C5' })).rejects.toThrow(/'layer' must be the layer that feeds the global-average-pooling head \(norm\)/);
    const cam = await explain('cam', { model, input: x, target: labels[0], layer: 'norm' });
    expect(cam.shape).toEqual([1, 1]);
    tf.dispose([m, cam]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    xs.dispose();
    model.dispose();
    before = tf.memory().numTensors;
  });

  it('Faster R-CNN + FPN: one map per pyramid level for one detection class score', async () => {
    const size = 64;
    const det = createFasterRcnn({
      backbone: buildBackbone('resnet18', { inputShape: [size, size, 1], widthMultiplier: 0.125, features: true, seed: 1 }),
      numClasses: 10, classNames: DIGIT_CLASSES, neckChannels: 16,
      rpn: { preNmsTopNTest: 100, postNmsTopNTest: 50 }, roi: { hidden: 32 }, seed: 1,
    });
    const [scene] = await digitScenes({ seed: 3, count: 1, size, minObjectSize: 16, maxObjectSize: 32, minObjects: 1, maxObjects: 1 });
    before = tf.memory().numTensors;
    const object = scene.objects[0];
    const levels = await detectorCam(det, scene.image, { box: object.box, classId: object.label });
    // FPN P2..P5 at strides 4..32 on a 64 px image: 16, 8, 4, 2 cells a side.
    expect(levels.map((l) => [l.stride, ...l.map.shape])).toEqual([[4, 16, 16], [8, 8, 8], [16, 4, 4], [32, 2, 2]]);
    for (const l of levels) expect(Number.isFinite(l.score)).toBe(true);
    // torchvision's LevelMapper: k = floor(4 + log2(sqrt(area) / s0)), clamped to P2..P5, with the
    // detector's s0 = 224 * 64 / 800 = 17.92 for a 64 px image
    const [x1, y1, x2, y2] = object.box;
    const k = Math.min(5, Math.max(2, Math.floor(4 + Math.log2(Math.sqrt((x2 - x1) * (y2 - y1)) / 17.92) + 1e-6)));
    expect(levels.filter((l) => l.assigned).map((l) => l.level + 2)).toEqual([k]);
    expect(levels.some((l) => Math.max(...l.map.dataSync()) > 0)).toBe(true);
    tf.dispose(levels.map((l) => l.map));
    const eigen = await detectorCam(det, scene.image, { box: object.box, classId: object.label }, 'eigen-cam');
    expect(eigen).toHaveLength(4);
    tf.dispose(eigen.map((l) => l.map));
    await expect(detectorCam(det, scene.image, { box: object.box, classId: 10 })).rejects.toThrow(/'detection.classId' must be a class from 0 to 9/);
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
    before = tf.memory().numTensors;
  });
});
