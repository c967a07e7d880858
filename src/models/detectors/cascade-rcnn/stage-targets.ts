import * as tf from '@tensorflow/tfjs';
import { sampleRoiTargets } from '../roi-head';
import type { CascadeStage } from './cascade-rcnn';
import { bestForegroundClass, regressByClass } from './refine';

/** One sampled RoI of a stage: its image, its box, its label (class + 1, 0 background). */
export interface StageRoi {
  b: number;
  box: Float32Array;
  label: number;
}

export interface StageTargets {
  /** Foreground RoIs of every image first, then background ones (the order roiHeadLoss expects). */
  rois: StageRoi[];
  /** Flat (batchIndex, x1, y1, x2, y2) per RoI, for `poolRois`. */
  flat: Float32Array;
  /** `[numForeground, 4]` regression targets in this stage's coder (weights coderScale · (10, 10, 5, 5)). */
  targets: tf.Tensor2D;
}

/**
 * One cascade stage's training RoIs (mmdetection's CascadeRoIHead, per stage: assigner at the stage's IoU,
 * sampler, bbox targets with the stage's stds): each image's boxes plus its ground truth, IoU >= `stage.iou`
 * foreground and below background, `batchSizePerImage` sampled with at most `positiveFraction` foreground,
 * the foreground's targets encoded with weights `coderScale · (10, 10, 5, 5)`. The caller disposes `targets`.
 */
export function stageTargets(
  proposals: ArrayLike<number>[],
  gt: number[][][],
  labels: number[][],
  stage: CascadeStage,
  options: { batchSizePerImage: number; positiveFraction: number; seed: number },
): StageTargets {
  const fg: StageRoi[] = [];
  const bg: StageRoi[] = [];
  const parts: tf.Tensor2D[] = [];
  proposals.forEach((p, b) => {
    const s = sampleRoiTargets(p, gt[b], labels[b], {
      fgIouThreshold: stage.iou, bgIouThreshold: stage.iou,
      batchSizePerImage: options.batchSizePerImage, positiveFraction: options.positiveFraction, seed: options.seed + b,
    });
    s.labels.forEach((label, i) => (i < s.numPositive ? fg : bg).push({ b, box: s.boxes.slice(4 * i, 4 * i + 4), label }));
    parts.push(s.targets);
  });
  const rois = [...fg, ...bg];
  const flat = new Float32Array(rois.length * 5);
  rois.forEach((r, i) => {
    flat[5 * i] = r.b;
    flat.set(r.box, 5 * i + 1);
  });
  // Targets of weights k·(10, 10, 5, 5) are k times those of (10, 10, 5, 5): the encoding is linear in the weights.
  const targets = tf.tidy(() => {
    const all = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    return (stage.coderScale === 1 ? tf.clone(all) : tf.mul(all, stage.coderScale)) as tf.Tensor2D;
  });
  tf.dispose(parts);
  return { rois, flat, targets };
}

/**
 * The next stage's proposals from this stage's sampled RoIs (mmdetection's refine_bboxes): each RoI
 * regressed by this stage's head, a foreground RoI with its object's class and a background one with the
 * best predicted class; the ground-truth copies the sampler added are left out (pos_is_gt), the next
 * stage adds the ground truth again. Per image, flat x1,y1,x2,y2.
 */
export function nextStageProposals(
  rois: StageRoi[],
  classLogits: tf.Tensor2D,
  boxDeltas: tf.Tensor2D,
  gt: number[][][],
  coderScale: number,
  imageSize: [number, number],
): Float32Array[] {
  const classes = bestForegroundClass(classLogits.dataSync(), classLogits.shape[1]);
  rois.forEach((r, i) => r.label > 0 && (classes[i] = r.label));
  const boxes = new Float32Array(rois.length * 4);
  rois.forEach((r, i) => boxes.set(r.box, 4 * i));
  const refined = regressByClass(boxes, boxDeltas, classes, coderScale, imageSize);
  const next: number[][] = gt.map(() => []);
  rois.forEach((r, i) => {
    if (gt[r.b].some((g) => g.every((v, j) => Math.fround(v) === r.box[j]))) return;
    for (let j = 0; j < 4; j++) next[r.b].push(refined[4 * i + j]);
  });
  return next.map((n) => Float32Array.from(n));
}
