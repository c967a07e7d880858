// Bundled by bench/suites/detectors-chromium.ts and run in Chromium: times both detectors on one backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadDetector } from '../../src/models/pretrained';

async function run(backend: string, repeats: number): Promise<Array<{ name: string; loadMs: number; ms: number; found: number }>> {
  setWasmPaths('/wasm/');
  await tf.setBackend(backend);
  await tf.ready();
  const img = new Image();
  img.src = '/photos/car-park.jpg';
  await img.decode();
  const out = [];
  for (const name of ['centernet', 'nanodet'] as const) {
    const t0 = performance.now();
    const detector = await loadDetector(name, { modelUrl: `/models/${name}.json` });
    const loadMs = performance.now() - t0;
    let found = (await detector.detect(img)).length; // warm-up: shader compilation / first upload
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      found = (await detector.detect(img)).length;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    detector.dispose();
    out.push({ name, loadMs, ms: times[Math.floor(times.length / 2)], found });
  }
  return out;
}

(globalThis as unknown as { runBench: typeof run }).runBench = run;
