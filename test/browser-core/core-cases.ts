// The detection core on one backend over a fixed set of seeded inputs, every
// result downloaded as plain numbers so backends can be compared. Shared by the
// Chromium page (core-page.ts: CPU and WebGL in the browser) and by
// core-webgl.test.ts itself, which runs it on the CPU backend in Node: the same
// cases, so "agrees with Node's CPU" means the same inputs, not similar ones.
import * as tf from '@tensorflow/tfjs';
import {
  batchedNms,
  boxArea,
  boxConvert,
  boxIou,
  completeBoxIou,
  crossEntropy,
  decodeBoxes,
  distanceBoxIou,
  encodeBoxes,
  evaluateCoco,
  evaluateVoc,
  generalizedBoxIou,
  giouLoss,
  gridAnchors,
  matchByIou,
  nms,
  roiAlign,
  roiPool,
  seededRandom,
  sigmoidFocalLoss,
  smoothL1Loss,
  softNms,
  type BoxFormat,
} from '../../src/core/index';
import { randomWorkload } from '../core/eval/random-workload';

/** One case's output: `exact` ones (indices, matches) must be identical across backends. */
export interface CaseResult {
  values: number[];
  exact?: boolean;
}

export interface CoreCasesResult {
  /** tf.getBackend() while the cases ran. */
  backend: string;
  /** tfjs's WEBGL_RENDER_FLOAT32_ENABLED (false off WebGL). */
  float32Textures: boolean;
  /** tf.memory().numTensors after the cases minus before. */
  leaked: number;
  cases: Record<string, CaseResult>;
  /** ms per section, to see where the time goes (shader compilation on WebGL). */
  timings: Record<string, number>;
}

/** `n` boxes in a `size` x `size` image, sides `minSide`..`maxSide`; rounded to 1/16 px so float32 holds them exactly. */
function boxes(rand: () => number, n: number, size = 100, minSide = 1, maxSide = 40): number[][] {
  const q = (v: number) => Math.round(v * 16) / 16;
  return Array.from({ length: n }, () => {
    const w = q(minSide + rand() * (maxSide - minSide));
    const h = q(minSide + rand() * (maxSide - minSide));
    const x = q(rand() * (size - w));
    const y = q(rand() * (size - h));
    return [x, y, x + w, y + h];
  });
}

const uniform = (rand: () => number, n: number, lo = 0, hi = 1) => Array.from({ length: n }, () => lo + rand() * (hi - lo));

export async function runCoreCases(backend: string): Promise<CoreCasesResult> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  const float32Textures = backend === 'webgl' ? Boolean(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) : false;
  const before = tf.memory().numTensors;
  const cases: Record<string, CaseResult> = {};
  /** Downloads and disposes `t` (or several) into case `name`. */
  const put = async (name: string, t: tf.Tensor | tf.Tensor[], exact = false) => {
    const list = Array.isArray(t) ? t : [t];
    const values: number[] = [];
    for (const x of list) values.push(...(await x.data()));
    tf.dispose(list);
    cases[name] = { values, exact };
  };
  const putPlain = (name: string, values: number[], exact = false) => {
    cases[name] = { values, exact };
  };

  const rand = seededRandom(20261124);
  const timings: Record<string, number> = {};
  let section = '';
  let t0 = performance.now();
  const mark = (next: string) => {
    if (section) timings[section] = Math.round(performance.now() - t0);
    [section, t0] = [next, performance.now()];
  };

  // --- Boxes and the IoU family -------------------------------------------
  mark('iou');
  const A = boxes(rand, 24);
  const B = boxes(rand, 18);
  // edge cases: a zero-area box, a touching pair, identical boxes
  A.push([10, 10, 10, 20], [0, 0, 10, 10], [30, 30, 50, 45]);
  B.push([10, 0, 20, 10], [30, 30, 50, 45], [5, 5, 5, 5]);
  const a = tf.tensor2d(A);
  const b = tf.tensor2d(B);
  await put('boxIou', boxIou(a, b));
  await put('generalizedBoxIou', generalizedBoxIou(a, b));
  await put('distanceBoxIou', distanceBoxIou(a, b));
  await put('completeBoxIou', completeBoxIou(a, b));
  await put('boxArea', boxArea(a));
  // zero-area boxes through CIoU's atan2 (0/0 and w/0 on a GPU are where backends part ways)
  await put('completeBoxIou zero-area', completeBoxIou([[1, 1, 1, 3], [0, 0, 2, 0], [0, 0, 0, 0]], [[0, 0, 2, 2], [1, 1, 1, 3]]));
  // empty inputs: the shapes are the result
  const none = tf.zeros([0, 4]) as tf.Tensor2D;
  const shapes: number[] = [];
  for (const fn of [boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou]) {
    for (const [p, q] of [[none, b], [a, none]] as const) {
      const out = fn(p, q);
      shapes.push(...out.shape);
      out.dispose();
    }
  }
  for (const out of [encodeBoxes(none, none), decodeBoxes(none, none), giouLoss(none, none)]) {
    shapes.push(...out.shape);
    out.dispose();
  }
  none.dispose();
  putPlain('empty inputs shapes', shapes, true);
  const formats: BoxFormat[] = ['xyxy', 'xywh', 'cxcywh'];
  for (const from of formats) for (const to of formats) if (from !== to) await put(`boxConvert ${from}->${to}`, boxConvert(a, from, to));
  // gradients of a weighted sum of each IoU matrix with respect to both box sets
  const wIou = tf.tensor2d(uniform(rand, A.length * B.length, -1, 1), [A.length, B.length]);
  const iouFns = { boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou } as const;
  for (const [name, fn] of Object.entries(iouFns)) {
    // the zero-area and identical boxes make some gradients one-sided; keep them to the regular boxes
    const regularA = a.slice([0, 0], [24, 4]);
    const regularB = b.slice([0, 0], [18, 4]);
    const w = wIou.slice([0, 0], [24, 18]);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(fn(x as tf.Tensor2D, y as tf.Tensor2D), w)))([regularA, regularB]);
    tf.dispose([regularA, regularB, w]);
    await put(`${name} grad`, g);
  }
  await put('boxConvert grad', tf.grad((x: tf.Tensor) => tf.sum(tf.square(boxConvert(x as tf.Tensor2D, 'cxcywh', 'xyxy'))))(a));
  tf.dispose([a, b, wIou]);

  // --- NMS --------------------------------------------------------------------
  mark('nms');
  const nBoxes = 300;
  const nmsBoxes = tf.tensor2d(boxes(rand, nBoxes, 200, 4, 60));
  const nmsScores = tf.tensor1d(uniform(rand, nBoxes));
  const classIds = Array.from({ length: nBoxes }, () => Math.floor(rand() * 4));
  for (const t of [0.3, 0.5, 0.7]) putPlain(`nms iou ${t}`, await nms(nmsBoxes, nmsScores, t), true);
  putPlain('nms max 20', await nms(nmsBoxes, nmsScores, 0.5, { maxOutputSize: 20 }), true);
  // Scores rounded to one decimal tie in tens: equal scores keep the lower index first (torchvision's stable order).
  const tiedScores = tf.tensor1d(uniform(rand, nBoxes).map((v) => Math.round(v * 10) / 10));
  putPlain('nms tied scores', await nms(nmsBoxes, tiedScores, 0.5), true);
  putPlain('batchedNms tied scores', await batchedNms(nmsBoxes, tiedScores, classIds, 0.5), true);
  tiedScores.dispose();
  putPlain('batchedNms', await batchedNms(nmsBoxes, nmsScores, classIds, 0.5), true);
  const classIdsT = tf.tensor1d(classIds, 'int32');
  putPlain('batchedNms classIds tensor', await batchedNms(nmsBoxes, nmsScores, classIdsT, 0.4), true);
  classIdsT.dispose();
  for (const method of ['linear', 'gaussian'] as const) {
    const r = await softNms(nmsBoxes, nmsScores, { method, scoreThreshold: 0.05 });
    putPlain(`softNms ${method} indices`, r.indices, true);
    putPlain(`softNms ${method} scores`, r.scores);
  }
  // the boxes' IoU matrix on this backend feeds the matcher
  const gtBoxes = boxes(rand, 8, 200, 10, 60);
  const quality = boxIou(gtBoxes, nmsBoxes);
  putPlain('matchByIou', matchByIou(quality, { highThreshold: 0.5, lowThreshold: 0.3 }), true);
  putPlain('matchByIou lowQuality', matchByIou(quality, { highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true }), true);
  tf.dispose([nmsBoxes, nmsScores, quality]);

  // --- Anchors and box coding ---------------------------------------------------
  mark('coder');
  await put('gridAnchors', gridAnchors({ featureSizes: [[4, 5], [2, 3]], strides: [8, [16, 12]], sizes: [[16, 24], [48]], aspectRatios: [[0.5, 1, 2], [1, 2]] }));
  const anchors = tf.tensor2d(boxes(rand, 40, 100, 4, 40));
  const targets = tf.tensor2d(boxes(rand, 40, 100, 4, 40));
  await put('encodeBoxes', encodeBoxes(targets, anchors));
  await put('encodeBoxes weights', encodeBoxes(targets, anchors, [10, 10, 5, 5]));
  const deltas = tf.tensor2d(uniform(rand, 40 * 4, -1, 1), [40, 4]);
  await put('decodeBoxes', decodeBoxes(deltas, anchors));
  await put('decodeBoxes weights', decodeBoxes(deltas, anchors, [10, 10, 5, 5]));
  const bigDeltas = tf.tensor2d(uniform(rand, 40 * 4, -8, 8), [40, 4]); // exercises the dw/dh clamp
  await put('decodeBoxes clamp', decodeBoxes(bigDeltas, anchors));
  await put('decodeBoxes grad', tf.grad((d: tf.Tensor) => tf.sum(decodeBoxes(d, anchors, [10, 10, 5, 5])))(deltas));
  await put('encodeBoxes grad', tf.grad((t: tf.Tensor) => tf.sum(encodeBoxes(t as tf.Tensor2D, anchors)))(targets));
  tf.dispose([anchors, targets, deltas, bigDeltas]);

  // --- Losses and their gradients -----------------------------------------------
  mark('losses');
  const logits = tf.tensor1d(uniform(rand, 64, -6, 6));
  const labels01 = tf.tensor1d(Array.from({ length: 64 }, () => (rand() < 0.3 ? 1 : 0)));
  await put('sigmoidFocalLoss', sigmoidFocalLoss(logits, labels01));
  await put('sigmoidFocalLoss mean', sigmoidFocalLoss(logits, labels01, { reduction: 'mean', alpha: -1, gamma: 1.5 }));
  await put('sigmoidFocalLoss grad', tf.grad((x: tf.Tensor) => sigmoidFocalLoss(x, labels01, { reduction: 'sum' }))(logits));
  const pred = tf.tensor2d(uniform(rand, 30 * 4, -3, 3), [30, 4]);
  const target = tf.tensor2d(uniform(rand, 30 * 4, -3, 3), [30, 4]);
  await put('smoothL1Loss', smoothL1Loss(pred, target, { reduction: 'none' }));
  await put('smoothL1Loss beta 1/9 sum', smoothL1Loss(pred, target, { beta: 1 / 9, reduction: 'sum' }));
  await put('smoothL1Loss grad', tf.grad((x: tf.Tensor) => smoothL1Loss(x, target, { beta: 0.5 }))(pred));
  await put('smoothL1Loss L1 grad', tf.grad((x: tf.Tensor) => smoothL1Loss(x, target, { beta: 0 }))(pred));
  const ga = tf.tensor2d(boxes(rand, 30, 100, 2, 50));
  const gb = tf.tensor2d(boxes(rand, 30, 100, 2, 50));
  await put('giouLoss', giouLoss(ga, gb));
  await put('giouLoss grad', tf.grads((x: tf.Tensor, y: tf.Tensor) => giouLoss(x as tf.Tensor2D, y as tf.Tensor2D, { reduction: 'mean' }))([ga, gb]));
  const clsLogits = tf.tensor2d(uniform(rand, 20 * 7, -4, 4), [20, 7]);
  const clsLabels = Array.from({ length: 20 }, (_, i) => (i % 6 === 5 ? -100 : Math.floor(rand() * 7)));
  await put('crossEntropy', crossEntropy(clsLogits, clsLabels, { reduction: 'none' }));
  await put('crossEntropy mean', crossEntropy(clsLogits, clsLabels));
  await put('crossEntropy grad', tf.grad((x: tf.Tensor) => crossEntropy(x, clsLabels))(clsLogits));
  tf.dispose([logits, labels01, pred, target, ga, gb, clsLogits]);

  // --- RoIAlign / RoIPool, values and gradients -------------------------------
  mark('roi');
  const [FB, FH, FW, FC] = [2, 12, 14, 5];
  const features = tf.tensor4d(uniform(rand, FB * FH * FW * FC, -1, 1), [FB, FH, FW, FC]);
  const rois = boxes(rand, 16, 26, 0, 20).map((r, i) => [i % FB, ...r]);
  rois.push([1, -3, -2, 8, 5], [0, 20, 18, 30, 26], [1, 4, 4, 4, 4]); // off the map, past the edge, zero size
  const roiCases: Array<[string, number[], (f: tf.Tensor4D) => tf.Tensor4D]> = [
    ['roiAlign 3x3 s2', [rois.length, 3, 3, FC], (f) => roiAlign(f, rois, { outputSize: 3, samplingRatio: 2, spatialScale: 0.5 })],
    ['roiAlign 2x3 adaptive aligned', [rois.length, 2, 3, FC], (f) => roiAlign(f, rois, { outputSize: [2, 3], spatialScale: 0.5, aligned: true })],
    ['roiAlign 4x4 s1 scale 1', [10, 4, 4, FC], (f) => roiAlign(f, rois.slice(0, 10), { outputSize: 4, samplingRatio: 1 })],
    ['roiPool 3x3', [rois.length, 3, 3, FC], (f) => roiPool(f, rois, { outputSize: 3, spatialScale: 0.5 })],
    ['roiPool 2x4 scale 1', [10, 2, 4, FC], (f) => roiPool(f, rois.slice(0, 10), { outputSize: [2, 4] })],
  ];
  for (const [name, outShape, fn] of roiCases) {
    await put(name, fn(features));
    const n = outShape.reduce((p, q) => p * q, 1);
    const w = tf.tensor(uniform(rand, n, -1, 1), outShape);
    await put(`${name} grad`, tf.grad((f: tf.Tensor) => tf.sum(tf.mul(fn(f as tf.Tensor4D), w)))(features));
    w.dispose();
  }
  // After a ReLU many pixels tie at 0: every backend must send a bin's gradient to its first tie, as torchvision.
  const relued = tf.relu(features) as tf.Tensor4D;
  const pooled = (f: tf.Tensor4D) => roiPool(f, rois, { outputSize: 3, spatialScale: 0.5 });
  const wTies = tf.tensor(uniform(rand, rois.length * 9 * FC, -1, 1), [rois.length, 3, 3, FC]);
  await put('roiPool 3x3 on ReLU ties', pooled(relued));
  await put('roiPool 3x3 on ReLU ties grad', tf.grad((f: tf.Tensor) => tf.sum(tf.mul(pooled(f as tf.Tensor4D), wTies)))(relued));
  tf.dispose([relued, wTies, features]);

  // --- Evaluation on a small workload -----------------------------------------
  mark('eval');
  const { gt, dets } = randomWorkload({ images: 12, categories: 4, gtPerImage: 5, detsPerImage: 25, seed: 7, emptyCategories: 1, scoreDecimals: 2 });
  const coco = evaluateCoco(gt, dets);
  putPlain('evaluateCoco stats', Object.values(coco.stats));
  putPlain('evaluateCoco perCategory', coco.perCategory.flatMap((c) => Object.values(c).filter((v): v is number => typeof v === 'number')));
  for (const interpolation of ['allpoint', '11point'] as const) {
    const voc = evaluateVoc(gt, dets, { interpolation });
    putPlain(`evaluateVoc ${interpolation}`, [voc.mAP, ...voc.perCategory.flatMap((c) => [c.AP, c.positives, ...c.precision, ...c.recall])]);
  }
  // the same evaluation on detections decoded on this backend (float32 boxes through tensors)
  const roundTrip = boxConvert(
    dets.map((d) => d.bbox),
    'xywh',
    'xyxy',
  );
  const back = boxConvert(roundTrip, 'xyxy', 'xywh');
  const flat = await back.data();
  tf.dispose([roundTrip, back]);
  const dets32 = dets.map((d, i) => ({ ...d, bbox: Array.from(flat.subarray(4 * i, 4 * i + 4)) }));
  putPlain('evaluateCoco float32 boxes', Object.values(evaluateCoco(gt, dets32).stats));
  // An image without any ground truth whose detections are all false positives, as COCOeval and the devkit count them.
  const lonely = { id: 999, width: 200, height: 200 };
  const gtPlus = { ...gt, images: [...gt.images, lonely] };
  const fp = dets32.slice(0, 6).map((d) => ({ ...d, image_id: lonely.id }));
  putPlain('evaluateCoco image without gt', Object.values(evaluateCoco(gtPlus, [...dets32, ...fp]).stats));
  putPlain('evaluateVoc image without gt', [evaluateVoc(gtPlus, [...dets32, ...fp], { interpolation: 'allpoint' }).mAP]);

  mark('');
  return { backend: tf.getBackend(), float32Textures, leaked: tf.memory().numTensors - before, cases, timings };
}

