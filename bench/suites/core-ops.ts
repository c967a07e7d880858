import * as tf from '@tensorflow/tfjs';
import { boxIou, nms } from '../../src/core/index';
import { seededRandom } from '../../src/util/random';
import { timeIt, type BenchRow, type BenchSuite } from '../types';

/**
 * Core ops against the tfjs built-ins and torchvision's CPU figures:
 * `nms` (plain JS after one download) vs `tf.image.nonMaxSuppressionAsync`
 * on 1k and 10k random boxes, and `boxIou` on 2k x 2k, on the Node CPU
 * backend and on WASM.
 */

/** Torchvision CPU reference figures named in the issue (ms). */
const TORCHVISION_NMS_MS: Record<number, number> = { 1000: 3, 10000: 204 };

/** Random boxes in a 1000 x 1000 image, sides 1..101 px, uniform scores. */
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

async function runOn(backend: string, ctx: { quick: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const label = `node-${backend}`;
  const repeats = ctx.quick ? 3 : 7;
  for (const n of [1000, 10000]) {
    const { xyxy, yxyx, scores } = randomBoxes(n, n);
    const boxes = tf.tensor2d(xyxy, [n, 4]);
    const boxesYx = tf.tensor2d(yxyx, [n, 4]);
    const s = tf.tensor1d(scores);
    let kept = 0;
    const ours = await timeIt(async () => {
      kept = (await nms(boxes, s, 0.5)).length;
    }, repeats);
    const theirs = await timeIt(async () => {
      const k = await tf.image.nonMaxSuppressionAsync(boxesYx, s, n, 0.5);
      k.dispose();
    }, repeats);
    tf.dispose([boxes, boxesYx, s]);
    const ref = TORCHVISION_NMS_MS[n];
    ctx.log(`nms ${n} on ${label}: ${ours.toFixed(2)} ms (tf.image ${theirs.toFixed(2)} ms, torchvision ${ref} ms), kept ${kept}`);
    rows.push({ suite: 'core-ops', name: `nms ${n} boxes`, backend: label, value: ours, unit: 'ms', note: `torchvision CPU ${ref} ms; tf.image ${theirs.toFixed(1)} ms (x${(theirs / ours).toFixed(1)}); IoU 0.5, ${kept} kept` });
    rows.push({ suite: 'core-ops', name: `tf.image.nonMaxSuppressionAsync ${n} boxes`, backend: label, value: theirs, unit: 'ms', note: 'tfjs built-in, same boxes (y1,x1,y2,x2)' });
  }
  const m = ctx.quick ? 500 : 2000;
  const { xyxy } = randomBoxes(2 * m, 7);
  const a = tf.tensor2d(xyxy.subarray(0, 4 * m), [m, 4]);
  const b = tf.tensor2d(xyxy.subarray(4 * m), [m, 4]);
  const iouMs = await timeIt(async () => {
    const out = boxIou(a, b);
    await out.data();
    out.dispose();
  }, ctx.quick ? 2 : 5);
  tf.dispose([a, b]);
  ctx.log(`boxIou ${m}x${m} on ${label}: ${iouMs.toFixed(1)} ms`);
  rows.push({ suite: 'core-ops', name: `boxIou ${m}x${m}`, backend: label, value: iouMs, unit: 'ms', note: 'incl. argument checks and download of the [N,M] result' });
  return rows;
}

const suite: BenchSuite = {
  name: 'core-ops',
  async run(ctx) {
    const before = tf.getBackend();
    const rows: BenchRow[] = [];
    await tf.setBackend('cpu');
    await tf.ready();
    rows.push(...(await runOn('cpu', ctx)));
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        rows.push(...(await runOn('wasm', ctx)));
      }
    } catch (e) {
      ctx.log(`core-ops: WASM backend unavailable in Node (${(e as Error).message})`);
    }
    if (before) await tf.setBackend(before);
    return rows;
  },
};

export default suite;
