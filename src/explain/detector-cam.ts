import * as tf from '@tensorflow/tfjs';
import type { CascadeRcnn } from '../models/detectors/cascade-rcnn/cascade-rcnn';
import type { FasterRcnn } from '../models/detectors/faster-rcnn';
import { canonicalScaleFor, mapLevels } from '../models/detectors/level-mapper';
import { multiScaleRoiAlign } from '../models/detectors/multi-scale-roi-align';
import { fail } from '../util/validate';

/**
 * Grad-CAM (or Grad-CAM++ / Eigen-CAM weights, the same `camWeights` rule as
 * the classifier CAMs) on a trained Faster R-CNN + FPN for one detection,
 * one map per pyramid level: the score is the box head's logit of the
 * detection's class for its box, pooled (RoIAlign, the detector's own output
 * size) from that level, so each level shows what it would contribute had the
 * level mapper sent the box there; `assigned` marks the level the mapper
 * does pick. Follows pytorch-grad-cam's FasterRCNNBoxScoreTarget idea (the
 * class score of one box) with torchvision's MultiScaleRoIAlign.
 *
 * A Cascade R-CNN shares its base Faster R-CNN's body and pyramid; its score
 * is one stage head's logit (`options.stage`, 1-based, default the last: the
 * stage whose regression placed the detection's box).
 */
export interface DetectionToExplain {
  /** [x1, y1, x2, y2] in image pixels. */
  box: readonly number[];
  /** 0-based class (background excluded), as `detect` returns it. */
  classId: number;
}

export interface LevelMap {
  level: number;
  stride: number;
  /** `[h, w]` map on the level's grid (the caller disposes it). */
  map: tf.Tensor2D;
  /** The class logit when the box is pooled from this level. */
  score: number;
  /** The level torchvision's level mapper sends this box to (the one the detector itself pools from). */
  assigned: boolean;
}

export type DetectorCamMethod = 'grad-cam' | 'grad-cam++' | 'eigen-cam';

export interface DetectorCamOptions {
  /** Cascade R-CNN only: the stage (1-based) whose box head's class logit is explained; default the last. */
  stage?: number;
}

function isCascade(det: FasterRcnn | CascadeRcnn): det is CascadeRcnn {
  return typeof det === 'object' && det !== null && 'base' in det && Array.isArray((det as CascadeRcnn).heads);
}

/** The Faster R-CNN whose body and pyramid are read, and the box head that scores the box. */
function partsOf(op: string, det: FasterRcnn | CascadeRcnn, stage: number | undefined): { base: FasterRcnn; head: tf.LayersModel } {
  if (isCascade(det)) {
    const T = det.heads.length;
    const t = stage ?? T;
    if (!Number.isInteger(t) || t < 1 || t > T) fail(op, 'options.stage', `a stage from 1 to ${T}`, String(stage));
    return { base: det.base, head: det.heads[t - 1] };
  }
  const ok = typeof det === 'object' && det !== null && 'body' in det && 'boxHead' in det && 'strides' in det;
  if (!ok) fail(op, 'det', 'a Faster R-CNN or a Cascade R-CNN (e.g. loadSceneDetector(\'faster-rcnn\') or (\'cascade-rcnn\'))', det === null ? 'null' : typeof det === 'object' ? (det as { name?: string }).name ?? 'another object' : typeof det);
  if (stage !== undefined) fail(op, 'options.stage', 'given only for a Cascade R-CNN (a Faster R-CNN has one box head)', String(stage));
  return { base: det, head: det.boxHead };
}

/** `image`: the scene, `[H, W, C]` / `[1, H, W, C]` tensor or its H*W*C values (a `Scene`'s `image`). */
export async function detectorCam(
  detector: FasterRcnn | CascadeRcnn,
  image: tf.Tensor | Float32Array,
  detection: DetectionToExplain,
  method: DetectorCamMethod = 'grad-cam',
  options: DetectorCamOptions = {},
): Promise<LevelMap[]> {
  const op = 'detectorCam';
  if (!['grad-cam', 'grad-cam++', 'eigen-cam'].includes(method)) fail(op, 'method', "'grad-cam', 'grad-cam++' or 'eigen-cam'", String(method));
  const { base: det, head } = partsOf(op, detector, options.stage);
  const [H, W, C] = det.inputShape;
  const box = detection?.box;
  if (!box || box.length < 4 || !Array.from(box).slice(0, 4).every(Number.isFinite)) fail(op, 'detection.box', '[x1, y1, x2, y2] in image pixels, as detect returns it', box === undefined ? 'nothing' : JSON.stringify(Array.from(box)));
  const x = tf.tidy(() => tf.reshape(image, [1, H, W, C]) as tf.Tensor4D);
  if (!Number.isInteger(detection.classId) || detection.classId < 0 || detection.classId >= det.numClasses) {
    x.dispose();
    fail(op, 'detection.classId', `a class from 0 to ${det.numClasses - 1}`, String(detection.classId));
  }
  const levels = det.body.outputs.length - 2 * det.anchorsPerLevel.length;
  const outputSize = head.inputs[0].shape[1] as number;
  const samplingRatio = (det as unknown as { roi?: { samplingRatio?: number } }).roi?.samplingRatio ?? 2;
  const strides = det.strides.slice(0, levels);
  const rois = [0, ...detection.box.slice(0, 4)];
  const canonicalScale = (det as unknown as { canonicalScale?: number }).canonicalScale ?? canonicalScaleFor(Math.max(H, W));
  const assigned = mapLevels(detection.box.slice(0, 4), { kMin: 2, kMax: 1 + levels, canonicalScale })[0];
  const out: LevelMap[] = [];
  try {
    const features = tf.tidy(() => (det.body.predict(x) as tf.Tensor4D[]).slice(0, levels).map((f) => tf.clone(f)));
    try {
      for (let l = 0; l < levels; l++) {
        const scoreOf = (f: tf.Tensor) => {
          const feats = features.map((g, i) => (i === l ? (f as tf.Tensor4D) : g));
          const pooled = multiScaleRoiAlign(feats, strides, rois, [l], { outputSize, samplingRatio });
          const [cls] = head.predict(pooled) as tf.Tensor2D[];
          return tf.squeeze(tf.slice(cls, [0, detection.classId + 1], [1, 1])) as tf.Scalar;
        };
        const [map, score] = tf.tidy(() => {
          const A = features[l];
          const [, h, w, c] = A.shape;
          const flat = tf.reshape(A, [h * w, c]);
          const s = scoreOf(A);
          let weights: tf.Tensor;
          if (method === 'eigen-cam') {
            const centred = tf.sub(flat, tf.mean(flat, 0, true));
            let v: tf.Tensor = tf.div(tf.ones([c, 1]), Math.sqrt(c));
            const cov = tf.matMul(centred, centred, true, false);
            for (let i = 0; i < 60; i++) v = tf.div(tf.matMul(cov, v), tf.add(tf.norm(tf.matMul(cov, v)), 1e-12));
            const proj = tf.matMul(centred, v);
            const sign = tf.sign(tf.add(tf.sum(tf.mul(proj, tf.sub(tf.sum(flat, 1, true), tf.mean(tf.sum(flat, 1))))), 1e-12));
            return [tf.relu(tf.reshape(tf.mul(proj, sign), [h, w])) as tf.Tensor2D, s];
          }
          const g = tf.grad(scoreOf)(A);
          if (method === 'grad-cam') weights = tf.mean(g, [0, 1, 2]);
          else {
            const g2 = tf.square(g);
            const a = tf.where(tf.notEqual(g, 0), tf.div(g2, tf.add(tf.add(tf.mul(g2, 2), tf.mul(tf.sum(A, [1, 2], true), tf.mul(g2, g))), 1e-7)), tf.zerosLike(g));
            weights = tf.sum(tf.mul(a, tf.relu(g)), [0, 1, 2]);
          }
          return [tf.relu(tf.reshape(tf.matMul(flat, tf.reshape(weights, [c, 1])), [h, w])) as tf.Tensor2D, s];
        });
        out.push({ level: l, stride: strides[l], map, score: (await score.data())[0], assigned: l === assigned });
        score.dispose();
      }
    } finally {
      tf.dispose(features);
    }
    return out;
  } catch (e) {
    tf.dispose(out.map((o) => o.map));
    throw e;
  } finally {
    x.dispose();
  }
}
