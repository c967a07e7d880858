import * as tf from '@tensorflow/tfjs';
import { evaluateCoco, roiAlign, roiPool } from '../../src/core/index';
import { seededRandom } from '../../src/util/random';
import { randomWorkload } from '../../test/core/eval/random-workload';
import { timeIt, type BenchRow, type BenchSuite } from '../types';

/**
 * RoI ops and COCO evaluation against their references:
 * - roiAlign (7x7, sampling 2) and roiPool (7x7) on 1k RoIs over a [1,64,64,256]
 *   map, against tf.image.cropAndResize doing the same sampling (14x14 crops
 *   averaged 2x2) and torchvision's CPU roi_align (166 ms), on Node CPU and WASM;
 * - evaluateCoco on 5,000 images (~7 gt and 100 detections each, 80 categories),
 *   against pycocotools' 53 s on the same workload size.
 */

const TORCHVISION_ROI_ALIGN_MS = 166;
const PYCOCOTOOLS_S = 53;

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
    // cropAndResize wants [y1, x1, y2, x2] normalised so that 1 is the last pixel.
    boxes.set([y / (size - 1), x / (size - 1), (y + h) / (size - 1), (x + w) / (size - 1)], 4 * i);
  }
  return { rois, boxes };
}

async function roiRows(backend: string, ctx: { quick: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const label = `node-${backend}`;
  const k = ctx.quick ? 200 : 1000;
  const size = 64;
  const channels = 256;
  const repeats = ctx.quick ? 2 : 5;
  const features = tf.randomUniform([1, size, size, channels], 0, 1, 'float32', 1) as tf.Tensor4D;
  const { rois, boxes } = roiWorkload(k, size, 7);
  const roisT = tf.tensor2d(rois, [k, 5]);
  const boxesT = tf.tensor2d(boxes, [k, 4]);
  const boxInd = tf.zeros([k], 'int32') as tf.Tensor1D;
  const measure = (fn: () => tf.Tensor) => timeIt(async () => {
    const out = fn();
    await out.data();
    out.dispose();
  }, repeats);
  const align = await measure(() => roiAlign(features, roisT, { outputSize: 7, samplingRatio: 2 }));
  const pool = await measure(() => roiPool(features, roisT, { outputSize: 7 }));
  const crop = await measure(() => tf.tidy(() => tf.avgPool(tf.image.cropAndResize(features, boxesT, boxInd, [14, 14]), 2, 2, 'valid')));
  tf.dispose([features, roisT, boxesT, boxInd]);
  const work = `${k} RoIs, [1,${size},${size},${channels}] map, 7x7 out`;
  ctx.log(`roiAlign ${align.toFixed(0)} ms, roiPool ${pool.toFixed(0)} ms, cropAndResize+avgPool ${crop.toFixed(0)} ms on ${label}`);
  return [
    { suite: 'core-roi-eval', name: 'roiAlign 7x7 sampling 2', backend: label, value: align, unit: 'ms', note: `${work}; torchvision CPU ${TORCHVISION_ROI_ALIGN_MS} ms; ${(align / crop).toFixed(1)}x cropAndResize` },
    { suite: 'core-roi-eval', name: 'roiPool 7x7', backend: label, value: pool, unit: 'ms', note: work },
    { suite: 'core-roi-eval', name: 'cropAndResize 14x14 + avgPool 2', backend: label, value: crop, unit: 'ms', note: `${work}; the same sample grid, no gradient in tfjs` },
  ];
}

const suite: BenchSuite = {
  name: 'core-roi-eval',
  async run(ctx) {
    const before = tf.getBackend();
    const rows: BenchRow[] = [];
    await tf.setBackend('cpu');
    await tf.ready();
    rows.push(...(await roiRows('cpu', ctx)));
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        rows.push(...(await roiRows('wasm', ctx)));
      }
    } catch (e) {
      ctx.log(`core-roi-eval: WASM backend unavailable in Node (${(e as Error).message})`);
    }
    if (before) await tf.setBackend(before);

    const images = ctx.quick ? 500 : 5000;
    const { gt, dets } = randomWorkload({ images, categories: 80, gtPerImage: 7, detsPerImage: 100, seed: 2024 });
    let ap = 0;
    const ms = await timeIt(() => {
      ap = evaluateCoco(gt, dets).stats.AP;
    }, ctx.quick ? 1 : 3);
    const reference = (PYCOCOTOOLS_S * 1000 * images) / 5000;
    ctx.log(`evaluateCoco on ${images} images: ${ms.toFixed(0)} ms (AP ${ap.toFixed(4)})`);
    rows.push({
      suite: 'core-roi-eval',
      name: `evaluateCoco ${images} images`,
      backend: 'node',
      value: ms,
      unit: 'ms',
      note: `${gt.annotations.length} gt, ${dets.length} dets, 80 categories; pycocotools ${PYCOCOTOOLS_S} s on 5,000 images (${(reference / ms).toFixed(0)}x); target <= 5 s`,
    });
    return rows;
  },
};

export default suite;
