// Bundled by bench/suites/core-chromium.ts and run in Chromium: the detection
// core's hot ops against the tfjs built-ins on one backend (WebGL or WASM),
// on the same workloads as bench/suites/core-ops.ts and core-roi-eval.ts.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { detectSoftwareRenderer } from '../../src/backends/wasm-training';
import { boxIou, nms, roiAlign } from '../../src/core/index';
import { seededRandom } from '../../src/util/random';

setWasmPaths('/wasm/');

/** Median wall time in ms of `fn` over `repeats` runs after one warm-up (shader compilation). */
async function median(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** As core-ops: random boxes in a 1000 x 1000 image, sides 1..101 px, uniform scores. */
function randomBoxes(n: number, seed: number): { xyxy: Float32Array; yxyx: Float32Array; scores: Float32Array } {
  const rand = seededRandom(seed);
  const xyxy = new Float32Array(n * 4);
  const yxyx = new Float32Array(n * 4);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = rand() * 1000;
    const y = rand() * 1000;
    const w = 1 + rand() * 100;
    const h = 1 + rand() * 100;
    xyxy.set([x, y, x + w, y + h], 4 * i);
    yxyx.set([y, x, y + h, x + w], 4 * i);
    scores[i] = rand();
  }
  return { xyxy, yxyx, scores };
}

/** As core-roi-eval: RoIs of 2-32 px, and the same boxes normalised for cropAndResize. */
function roiWorkload(k: number, size: number, seed: number): { rois: Float32Array; boxes: Float32Array } {
  const rand = seededRandom(seed);
  const rois = new Float32Array(k * 5);
  const boxes = new Float32Array(k * 4);
  for (let i = 0; i < k; i++) {
    const w = 2 + rand() * 30;
    const h = 2 + rand() * 30;
    const x = rand() * (size - w);
    const y = rand() * (size - h);
    rois.set([0, x, y, x + w, y + h], 5 * i);
    boxes.set([y / (size - 1), x / (size - 1), (y + h) / (size - 1), (x + w) / (size - 1)], 4 * i);
  }
  return { rois, boxes };
}

export interface CoreBenchOptions {
  nmsSizes: number[];
  iouSize: number;
  rois: number;
  repeats: number;
  roiRepeats: number;
}

export interface CoreBenchResult {
  backend: string;
  renderer?: string;
  nms: Array<{ n: number; ours: number; theirs: number; kept: number; keptTheirs: number }>;
  iou: { m: number; ms: number };
  roi: { k: number; align: number; crop: number };
  leaked: number;
}

async function runCoreBench(backend: string, o: CoreBenchOptions): Promise<CoreBenchResult> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  const before = tf.memory().numTensors;
  const renderer = backend === 'webgl' ? (await detectSoftwareRenderer().catch(() => ({}) as { webgl?: string })).webgl : undefined;

  const nmsRows: CoreBenchResult['nms'] = [];
  for (const n of o.nmsSizes) {
    const { xyxy, yxyx, scores } = randomBoxes(n, n);
    const boxes = tf.tensor2d(xyxy, [n, 4]);
    const boxesYx = tf.tensor2d(yxyx, [n, 4]);
    const s = tf.tensor1d(scores);
    let kept = 0;
    let keptTheirs = 0;
    const ours = await median(async () => {
      kept = (await nms(boxes, s, 0.5)).length;
    }, o.repeats);
    const theirs = await median(async () => {
      const k = await tf.image.nonMaxSuppressionAsync(boxesYx, s, n, 0.5);
      keptTheirs = k.size;
      await k.data(); // the indices on the CPU, as ours returns them
      k.dispose();
    }, o.repeats);
    tf.dispose([boxes, boxesYx, s]);
    nmsRows.push({ n, ours, theirs, kept, keptTheirs });
  }

  const m = o.iouSize;
  const { xyxy } = randomBoxes(2 * m, 7);
  const a = tf.tensor2d(xyxy.subarray(0, 4 * m), [m, 4]);
  const b = tf.tensor2d(xyxy.subarray(4 * m), [m, 4]);
  const iouMs = await median(async () => {
    const out = boxIou(a, b);
    await out.data();
    out.dispose();
  }, o.repeats);
  tf.dispose([a, b]);

  const size = 64;
  const k = o.rois;
  const features = tf.randomUniform([1, size, size, 256], 0, 1, 'float32', 1) as tf.Tensor4D;
  const { rois, boxes } = roiWorkload(k, size, 7);
  const roisT = tf.tensor2d(rois, [k, 5]);
  const boxesT = tf.tensor2d(boxes, [k, 4]);
  const boxInd = tf.zeros([k], 'int32') as tf.Tensor1D;
  const measure = (fn: () => tf.Tensor) =>
    median(async () => {
      const out = fn();
      await out.data();
      out.dispose();
    }, o.roiRepeats);
  const align = await measure(() => roiAlign(features, roisT, { outputSize: 7, samplingRatio: 2 }));
  const crop = await measure(() => tf.tidy(() => tf.avgPool(tf.image.cropAndResize(features, boxesT, boxInd, [14, 14]), 2, 2, 'valid')));
  tf.dispose([features, roisT, boxesT, boxInd]);

  return { backend: tf.getBackend(), renderer, nms: nmsRows, iou: { m, ms: iouMs }, roi: { k, align, crop }, leaked: tf.memory().numTensors - before };
}

Object.assign(globalThis, { runCoreBench });
