import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { augmentScenes } from '../../src/data/augment';
import { digitScenesFrom } from '../../src/data/digit-scenes';
import { loadMnist, mnistBatches } from '../../src/data/mnist';
import { shapeScenes } from '../../src/data/shape-scenes';
import { smallCnnClassifier } from '../../src/models/index';
import { fit } from '../../src/train';
import { timeIt, type BenchRow, type BenchSuite } from '../types';

/** Scene generation speed (plain JS) and the fit loop's training throughput on a small CNN. */
const suite: BenchSuite = {
  name: 'data-train',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const set = await loadMnist();
    const n = ctx.quick ? 50 : 200;
    const sceneMs = await timeIt(() => digitScenesFrom(set, { seed: 1, count: n, size: 128, maxObjects: 6 }), ctx.quick ? 2 : 5);
    rows.push({ suite: 'data-train', name: 'digitScenes 128x128, 1-6 digits', backend: 'reference', value: (n * 1000) / sceneMs, unit: 'scenes/s', note: `${n} scenes in ${sceneMs.toFixed(0)} ms` });
    const shapeMs = await timeIt(() => shapeScenes({ seed: 1, count: n, size: 64, maxObjects: 4 }), ctx.quick ? 2 : 5);
    rows.push({ suite: 'data-train', name: 'shapeScenes 64x64 RGB, 1-4 shapes', backend: 'reference', value: (n * 1000) / shapeMs, unit: 'scenes/s' });
    const scenes = digitScenesFrom(set, { seed: 2, count: n, size: 128 });
    const augMs = await timeIt(() => augmentScenes(scenes, { seed: 1, hflip: 0.5, scaleJitter: [0.5, 1.5], copyPaste: 1 }), ctx.quick ? 2 : 5);
    rows.push({ suite: 'data-train', name: 'augmentScenes flip + scale jitter + Copy-Paste, 128x128', backend: 'reference', value: (n * 1000) / augMs, unit: 'scenes/s' });

    const previous = tf.getBackend();
    for (const wanted of ['cpu', 'wasm'] as const) {
      const backend = wanted === 'wasm' ? await useFastestNodeBackend() : (await tf.setBackend('cpu'), 'cpu');
      if (backend !== wanted) continue;
      const model = smallCnnClassifier({ seed: 1 });
      // cpu trains this CNN at a few images/s (seconds a step): measure it briefly
      const steps = backend === 'cpu' ? 2 : ctx.quick ? 5 : 40;
      // one warm-up step, then the measured run
      await fit({ model, data: await mnistBatches({ batchSize: 64, seed: 1, limit: 64 }), optimizer: 'adam' });
      const result = await fit({ model, data: await mnistBatches({ batchSize: 64, seed: 2, limit: 64 * steps }), optimizer: 'adam' });
      // The rates are running totals over the run, so the last event holds the whole run's rate.
      const last = result.history[result.history.length - 1];
      const trainIps = last.trainImagesPerSecond;
      const wholeIps = last.imagesPerSecond;
      rows.push({ suite: 'data-train', name: 'fit: small CNN (14k params) Adam training only (no batch making), batch 64, 28x28', backend: `node-${backend}`, value: trainIps, unit: 'images/s', note: `${steps} steps; ${((64 * 1000) / trainIps).toFixed(0)} ms/step` });
      rows.push({ suite: 'data-train', name: 'fit: small CNN (14k params) whole step (batch making + Adam training), batch 64, 28x28', backend: `node-${backend}`, value: wholeIps, unit: 'images/s', note: `${steps} steps; ${((64 * 1000) / wholeIps).toFixed(0)} ms/step, ${last.dataMs.toFixed(0)} ms making batches` });
      model.dispose();
      ctx.log(`data-train: ${backend} ${trainIps.toFixed(0)} images/s training, ${wholeIps.toFixed(0)} images/s whole step`);
    }
    // No backend may have started before this suite (scene generation is plain JS): then there is none to go back to.
    if (previous) await tf.setBackend(previous);
    return rows;
  },
};

export default suite;
