import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { digitScenes } from '../../../src/data/index';
import { buildBackbone } from '../../../src/models/backbones/index';
import {
  SCENE_BENCHMARK, SCENE_DETECTORS, benchmarkScenes, createFasterRcnn, detectorToFiles, evaluateSceneDetector, loadDetectorWeights,
  type SceneDetector,
} from '../../../src/models/detectors/index';
import { loadSceneDetector } from '../../../src/models/index';
import type { Detection } from '../../../src/models/pretrained/types';
import type { Scene } from '../../../src/data/scene';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// The shared scene-detector API (contract2.md): the registry, the weight files and the benchmark
// (training with it: test/train/scene-detector.test.ts). 128 px detectors run here, so on the fast backend.
trainOnFastestBackend();

const small = (seed: number, hidden = 16) =>
  createFasterRcnn({
    backbone: buildBackbone('resnet18', { inputShape: [64, 64, 1], widthMultiplier: 1 / 16, features: true, seed }),
    numClasses: 3,
    neckChannels: 8,
    rpn: { preNmsTopNTest: 100, postNmsTopNTest: 50, preNmsTopNTrain: 100, postNmsTopNTrain: 50 },
    roi: { batchSizePerImage: 32, hidden },
    seed,
  });

/** A stand-in detector that answers each benchmark scene with its own boxes, moved by `shift` pixels right. */
function oracle(scenes: Scene[], shift: number, extra: Partial<Detection> = {}): SceneDetector {
  const byPixels = new Map(scenes.map((s) => [s.image, s]));
  return {
    name: 'oracle',
    inputSize: 128,
    async detect(image) {
      const s = byPixels.get((image as Scene).image)!;
      return s.objects.map((o) => ({ box: [o.box[0] + shift, o.box[1], o.box[2] + shift, o.box[3]], score: 0.9, classId: o.label, label: String(o.label), ...extra }));
    },
    dispose() {},
  };
}

describe('detector weight files (detector.json + weights.bin)', () => {
  it('round-trip every model by name: a detector of another seed detects the same after loading', async () => {
    const a = small(1);
    const b = small(2);
    const image = tf.tidy(() => tf.randomUniform([64, 64, 1], 0, 1, 'float32', 5)) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const files = await detectorToFiles(a);
    const manifest = JSON.parse(files.manifest);
    expect(manifest.format).toBe('vision-notebook-detector');
    expect(manifest.models.map((m: { name: string }) => m.name)).toEqual(['body', 'boxHead']);
    // Every weight (batch-norm statistics too), 4 bytes each.
    const count = [...a.body.weights, ...a.boxHead.weights].reduce((s, w) => s + w.read().size, 0);
    expect(files.weights.length).toBe(4 * count);
    const opts = { scoreThreshold: 0, maxDetections: 10 };
    expect(await b.detect(image, opts)).not.toEqual(await a.detect(image, opts));
    loadDetectorWeights(b, files);
    expect(await b.detect(image, opts)).toEqual(await a.detect(image, opts));
    expect(tf.memory().numTensors).toBe(before);
    // Another architecture: the first weight whose shape differs is named.
    const c = small(3, 8);
    expect(() => loadDetectorWeights(c, files)).toThrow(/loadDetectorWeights: 'files' must be weight \d+ of 'boxHead' .* of shape \[392,8\], got \[392,16\]/);
    expect(() => loadDetectorWeights(c, { ...files, weights: files.weights.subarray(4) })).toThrow(/must be weights.bin of \d+ bytes/);
    tf.dispose(image);
    for (const d of [a, b, c]) d.dispose();
  });
});

describe('SCENE_DETECTORS and loadSceneDetector', () => {
  it("registers 'faster-rcnn': create() builds the 128 px architecture, seeded; unknown names list the known ones", async () => {
    const entry = SCENE_DETECTORS.get('faster-rcnn');
    expect(entry.weights).toBe('lesson-08/faster-rcnn');
    const x = entry.create();
    const y = entry.create();
    expect(x.inputSize).toBe(128);
    expect(Object.keys(x.models)).toEqual(['body', 'boxHead']);
    // Seeded: two builds hold the same weights, so shipped files always fit.
    expect(Array.from(x.variables[0].dataSync())).toEqual(Array.from(y.variables[0].dataSync()));
    x.dispose();
    y.dispose();
    await expect(loadSceneDetector('yolo')).rejects.toThrow(/loadSceneDetector: 'name' must be one of 'faster-rcnn'.*, got 'yolo'/);
  });
});

describe('the scene-detection benchmark', () => {
  it('is digitScenes({seed: 7, size: 128, split: test}); a count takes its first scenes', async () => {
    expect(SCENE_BENCHMARK).toEqual({ size: 128, seed: 7, count: 500, split: 'test' });
    const five = await benchmarkScenes(5);
    const direct = await digitScenes({ seed: 7, count: 5, size: 128, split: 'test' });
    expect(five.map((s) => s.objects.map((o) => o.box))).toEqual(direct.map((s) => s.objects.map((o) => o.box)));
    expect((await benchmarkScenes(3)).map((s) => s.id)).toEqual([1, 2, 3]);
    expect(() => benchmarkScenes(501)).toThrow(/benchmarkScenes: 'count' must be a number in \[1, 500\]/);
  });
  it('scores through core.evaluateCoco: exact boxes AP 1; boxes moved to IoU in (0.5, 0.75) AP50 1, AP75 0', async () => {
    const scenes = await benchmarkScenes(20);
    const exact = await evaluateSceneDetector(oracle(scenes, 0), { count: 20 });
    expect(exact.AP).toBeCloseTo(1, 6);
    expect(exact.images).toBe(20);
    expect(exact.msPerImage).toBeGreaterThanOrEqual(0);
    // Moving a w-wide box by w/4 leaves IoU (3w/4)/(5w/4) = 0.6, in (0.5, 0.75) whatever w is.
    const quarter: SceneDetector = {
      ...oracle(scenes, 0),
      async detect(image) {
        const s = scenes.find((t) => t.image === (image as Scene).image)!;
        return s.objects.map((o) => {
          const d = (o.box[2] - o.box[0]) / 4;
          return { box: [o.box[0] + d, o.box[1], o.box[2] + d, o.box[3]] as Detection['box'], score: 0.9, classId: o.label, label: '' };
        });
      },
    };
    const moved = await evaluateSceneDetector(quarter, { count: 20 });
    expect(moved.AP50).toBeCloseTo(1, 6);
    expect(moved.AP75).toBe(0);
    // The wrong class everywhere: nothing is found.
    const wrong = await evaluateSceneDetector(oracle(scenes, 0, { classId: 10 }), { count: 20 });
    expect(wrong.AP50).toBe(0);
  });
  it('names a detector of another input size, stops on its signal', async () => {
    const scenes = await benchmarkScenes(4);
    await expect(evaluateSceneDetector({ ...oracle(scenes, 0), inputSize: 64 })).rejects.toThrow(/evaluateSceneDetector: 'detector' must be a detector of 128x128 scenes, got inputSize 64/);
    const ctrl = new AbortController();
    let seen = 0;
    const run = evaluateSceneDetector(oracle(scenes, 0), { count: 4, signal: ctrl.signal, onProgress: (i) => ((seen = i), i === 2 && ctrl.abort()) });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen).toBe(2);
  });
});
