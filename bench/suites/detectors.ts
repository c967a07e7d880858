import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { packageFile } from '../../scripts/package-file';
import { loadDetector } from '../../src/models/pretrained';
import { timeIt, type BenchRow, type BenchSuite } from '../types';

/**
 * The real pretrained detectors in Node: model load time (read + parse +
 * upload weights) and ms per image (letterbox, graph, decode, NMS) on the
 * car-park photo, on the CPU and WASM backends.
 */
const suite: BenchSuite = {
  name: 'detectors',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const { data, width, height } = jpeg.decode(readFileSync(packageFile('@jimp/test-utils', 'images/fillbytes.jpg')), {
      useTArray: true,
    });
    const photo = { data, width, height };
    await tf.ready();
    const before = tf.getBackend();
    await import('@tensorflow/tfjs-backend-wasm');
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      await tf.ready();
      for (const name of ['centernet', 'nanodet'] as const) {
        const t0 = performance.now();
        const detector = await loadDetector(name);
        const loadMs = performance.now() - t0;
        // the CPU backend takes seconds an image: fewer repeats keep the suite under a few minutes
        const repeats = backend === 'cpu' || ctx.quick ? 1 : 5;
        let found = 0;
        const ms = await timeIt(async () => {
          found = (await detector.detect(photo, { scoreThreshold: 0.3 })).length;
        }, repeats, 1);
        detector.dispose();
        ctx.log(`${name} on node-${backend}: load ${loadMs.toFixed(0)} ms, ${ms.toFixed(0)} ms/image, ${found} detections`);
        const note = `${width}x${height} car-park photo, input ${detector.inputSize}px, median of ${repeats}`;
        rows.push({ suite: 'detectors', name: `${name} load`, backend: `node-${backend}`, value: loadMs, unit: 'ms' });
        rows.push({ suite: 'detectors', name: `${name} detect`, backend: `node-${backend}`, value: ms, unit: 'ms/image', note });
      }
    }
    await tf.setBackend(before);
    return rows;
  },
};

export default suite;
