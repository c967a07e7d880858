import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { plainBoxIou } from '../../../src/core/boxes/plain-iou';
import { benchmarkScenes, evaluateSceneDetector, listSceneDetectors, SCENE_BENCHMARK, SCENE_DETECTORS } from '../../../src/models/detectors/index';
import { loadSceneDetector } from '../../../src/models/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// Every shipped scene detector (each SCENE_DETECTORS entry, so Cascade R-CNN joins by registering) re-measured
// on the benchmark subset its recipe scored (scripts/weights/lesson-08.ts writes `subset` into scores.json beside
// the weights, the full 500 scenes under `benchmark`), on the backend the recipe used (wasm).
trainOnFastestBackend();

interface Scores {
  backend: string;
  benchmark: { AP: number; AP50: number; AP75: number; count: number };
  subset: { AP: number; AP50: number; AP75: number; APs: number; APm: number; APl: number; count: number };
}

const scoresOf = (name: string): Scores => JSON.parse(readFileSync(`weights/${SCENE_DETECTORS.get(name).weights}/scores.json`, 'utf8')) as Scores;
// Detectors shipped through lesson-08.ts's trainAndShip write `detector` and a scored `subset`; one shipped otherwise has its own test
// (Cascade R-CNN's, 80 steps so far: test/models/detectors/cascade-rcnn*.test.ts).
const shipped = listSceneDetectors().filter((n) => { const s = scoresOf(n) as Partial<Scores> & { detector?: string }; return s.detector === n && typeof s.subset?.AP50 === 'number'; });

describe.each(shipped)('shipped scene detector %s', (name) => {
  const scores = scoresOf(name);

  it('scores what scores.json says on its benchmark subset (evaluateSceneDetector, core.evaluateCoco)', async () => {
    expect(scores.backend).toBe('wasm');
    expect(scores.benchmark.count).toBe(SCENE_BENCHMARK.count);
    const before = tf.memory().numTensors;
    const det = await loadSceneDetector(name);
    const r = await evaluateSceneDetector(det, { count: scores.subset.count });
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Same files, same backend, same scenes: only float summation order may differ.
    for (const k of ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl'] as const) expect(r[k], k).toBeCloseTo(scores.subset[k], 3);
  });

  it('loadSceneDetector in Node: boxes in the scene\'s pixels, best first, on the objects', async () => {
    const det = await loadSceneDetector(name);
    const scenes = await benchmarkScenes(10);
    let hits = 0;
    for (const s of scenes) {
      // The benchmark's score floor (0.05): the shipped Faster R-CNN is weak (AP50 15%), its scores mostly below 0.3.
      const found = await det.detect(s, { scoreThreshold: 0.05 });
      for (let i = 0; i < found.length; i++) {
        const [x1, y1, x2, y2] = found[i].box;
        expect(x1).toBeGreaterThanOrEqual(0);
        expect(y1).toBeGreaterThanOrEqual(0);
        expect(x2).toBeLessThanOrEqual(128);
        expect(y2).toBeLessThanOrEqual(128);
        expect(x2).toBeGreaterThan(x1);
        if (i > 0) expect(found[i].score).toBeLessThanOrEqual(found[i - 1].score);
      }
      // In pixels, not in 0..1 or feature-map cells: the best box lies on one of the scene's digits (10 of 10 when written).
      if (found.length > 0 && s.objects.some((o) => plainBoxIou(o.box, found[0].box) >= 0.5)) hits++;
    }
    expect(hits).toBeGreaterThanOrEqual(8);
    det.dispose();
  });
});
