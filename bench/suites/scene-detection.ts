import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { SCENE_BENCHMARK, benchmarkScenes, evaluateSceneDetector, listSceneDetectors, loadSceneDetector } from '../../src/models/detectors/index';
import { trainingSceneBatches } from '../../src/train/index';
import type { BenchRow, BenchSuite } from '../types';
import { timeSceneDetector } from '../workloads/scene-detector-timing';

const pct = (v: number): string => (100 * v).toFixed(1);

/**
 * The scene-detection benchmark in Node, one block of rows per shipped detector
 * (every `SCENE_DETECTORS` entry, so a new one appears by registering): COCO AP50
 * on the benchmark's 500 scenes (AP, AP75, APs/APm/APl in the note; the numbers
 * do not depend on the backend, so they are measured once, on wasm), then
 * detect ms/image and one training step's ms (batch 4, Adam) on wasm and cpu.
 * Chromium's rows: scene-detection-chromium.ts.
 */
const suite: BenchSuite = {
  name: 'scene-detection',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const before = tf.getBackend();
    const count = ctx.quick ? 50 : SCENE_BENCHMARK.count;
    for (const name of listSceneDetectors()) {
      for (const backend of ['wasm', 'cpu']) {
        if (backend === 'wasm') await useFastestNodeBackend();
        else await tf.setBackend(backend);
        await tf.ready();
        const det = await loadSceneDetector(name);
        if (backend === 'wasm') {
          const r = await evaluateSceneDetector(det, { count });
          ctx.log(`${name}: AP ${pct(r.AP)} AP50 ${pct(r.AP50)} AP75 ${pct(r.AP75)} on ${r.images} scenes`);
          rows.push({
            suite: 'scene-detection', name: `${name} benchmark AP50`, backend: 'any', value: 100 * r.AP50, unit: '%',
            note: `AP ${pct(r.AP)}, AP75 ${pct(r.AP75)}, APs ${pct(r.APs)}, APm ${pct(r.APm)}, APl ${pct(r.APl)}; ${r.images} scenes digitScenes(${JSON.stringify(SCENE_BENCHMARK)})`,
          });
        }
        // The cpu backend takes seconds a step: fewer repeats keep the suite to minutes.
        const reps = backend === 'cpu' || ctx.quick ? { detect: 3, step: 1 } : { detect: 10, step: 5 };
        const batch = (await trainingSceneBatches({ batches: 1 }).next()).value!;
        const t = await timeSceneDetector(det, await benchmarkScenes(reps.detect), batch, reps);
        det.dispose();
        ctx.log(`${name} on node-${backend}: detect ${t.detectMs.toFixed(0)} ms/image, train step ${t.stepMs.toFixed(0)} ms`);
        rows.push({ suite: 'scene-detection', name: `${name} detect`, backend: `node-${backend}`, value: t.detectMs, unit: 'ms/image', note: `128x128 benchmark scene, median of ${reps.detect}` });
        rows.push({ suite: 'scene-detection', name: `${name} train step`, backend: `node-${backend}`, value: t.stepMs, unit: 'ms', note: `batch ${t.batchSize}, Adam, median of ${reps.step} after a warm-up` });
      }
    }
    await tf.setBackend(before);
    return rows;
  },
};

export default suite;
