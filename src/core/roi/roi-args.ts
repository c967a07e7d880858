import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';
import { toTensor } from '../shared/tensor-args';

/** The checked, CPU-side description of one RoI op call. */
export interface RoiCall {
  features: tf.Tensor4D;
  B: number;
  H: number;
  W: number;
  C: number;
  /** rois as float32, [K, 5] row-major: (batchIndex, x1, y1, x2, y2). */
  rois: Float32Array;
  K: number;
  pooledH: number;
  pooledW: number;
  spatialScale: number;
}

function positiveInt(op: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(op, arg, 'a positive integer', String(v));
  return v;
}

/**
 * Checks the arguments shared by roiAlign and roiPool and reads the RoIs to
 * the CPU: the sampling positions are built in JS from their coordinates.
 */
export function parseRoiCall(
  op: string,
  features: tf.Tensor4D,
  rois: tf.Tensor2D | number[][],
  outputSize: number | [number, number],
  spatialScale: number,
): RoiCall {
  if (!(features instanceof tf.Tensor) || features.rank !== 4) {
    fail(op, 'features', 'a [batch, height, width, channels] tensor (NHWC)', features instanceof tf.Tensor ? `shape [${features.shape}]` : typeof features);
  }
  const [B, H, W, C] = features.shape;
  if (H < 1 || W < 1) fail(op, 'features', 'a feature map at least 1x1', `shape [${features.shape}]`);
  let pooledH: number;
  let pooledW: number;
  if (Array.isArray(outputSize)) {
    if (outputSize.length !== 2) fail(op, 'outputSize', 'a positive integer or [height, width]', JSON.stringify(outputSize));
    pooledH = positiveInt(op, 'outputSize', outputSize[0]);
    pooledW = positiveInt(op, 'outputSize', outputSize[1]);
  } else {
    pooledH = pooledW = positiveInt(op, 'outputSize', outputSize);
  }
  if (typeof spatialScale !== 'number' || !Number.isFinite(spatialScale) || spatialScale <= 0) {
    fail(op, 'spatialScale', 'a positive finite number', String(spatialScale));
  }
  const r = toTensor(op, 'rois', rois as tf.Tensor | tf.TensorLike);
  try {
    if (r.size === 0 && r.rank === 1) {
      // [] as a JS array: no RoIs.
    } else if (r.rank !== 2 || r.shape[1] !== 5) {
      fail(op, 'rois', 'a [K, 5] tensor of (batchIndex, x1, y1, x2, y2)', `shape [${r.shape}]`);
    }
    const data = Float32Array.from(r.dataSync());
    const K = data.length / 5;
    for (let k = 0; k < K; k++) {
      const row = data.subarray(k * 5, k * 5 + 5);
      for (let j = 0; j < 5; j++) {
        if (!Number.isFinite(row[j])) fail(op, 'rois', 'finite numbers', `${row[j]} in row ${k}`);
      }
      if (!Number.isInteger(row[0]) || row[0] < 0 || row[0] >= B) {
        fail(op, 'rois', `batch indices that are integers in [0, ${B - 1}]`, `${row[0]} in row ${k}`);
      }
      if (row[3] < row[1] || row[4] < row[2]) {
        fail(op, 'rois', 'boxes with x2 >= x1 and y2 >= y1', `[${Array.from(row)}] in row ${k}`);
      }
    }
    return { features, B, H, W, C, rois: data, K, pooledH, pooledW, spatialScale };
  } finally {
    if (r !== (rois as unknown)) r.dispose();
  }
}
