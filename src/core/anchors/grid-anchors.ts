import * as tf from '@tensorflow/tfjs';
import { cellAnchors } from './anchors';
import { fail } from '../../util/validate';

export interface GridAnchorOptions {
  /** `[height, width]` of each feature-map level. */
  featureSizes: Array<[number, number]>;
  /** Stride of each level in input pixels: a number or `[strideY, strideX]`. */
  strides: Array<number | [number, number]>;
  /** Anchor sizes per level (torchvision `sizes`), e.g. [[32], [64], [128]]. */
  sizes?: number[][];
  /** Aspect ratios (height / width) per level, e.g. [[0.5, 1, 2], ...]. */
  aspectRatios?: number[][];
  /** Instead of sizes/aspectRatios: each level's cell anchors, centred on 0 (e.g. from `cellAnchors`). */
  cellAnchors?: number[][][];
}

/**
 * All anchors of several feature-map levels, as torchvision's AnchorGenerator:
 * each level's cell anchors shifted to (x·strideX, y·strideY) for every cell,
 * cells in row-major order (y outer, x inner), all A anchors of a cell
 * together, levels concatenated. Returns `[Σ H·W·A, 4]` x1,y1,x2,y2.
 *
 * @example
 * gridAnchors({ featureSizes: [[2, 2]], strides: [16], sizes: [[32]], aspectRatios: [[1]] });
 * // [[-16,-16,16,16], [0,-16,32,16], [-16,0,16,32], [0,0,32,32]]
 */
export function gridAnchors(options: GridAnchorOptions): tf.Tensor2D {
  const op = 'gridAnchors';
  const { featureSizes, strides } = options;
  if (!Array.isArray(featureSizes)) fail(op, 'featureSizes', 'an array of [height, width] pairs', String(featureSizes));
  const levels = featureSizes.length;
  if (!Array.isArray(strides) || strides.length !== levels) fail(op, 'strides', `one stride per level (${levels})`, JSON.stringify(strides));
  const cells = levelCells(options, levels);
  let total = 0;
  featureSizes.forEach((hw, l) => {
    if (!Array.isArray(hw) || hw.length !== 2 || !hw.every((v) => Number.isInteger(v) && v >= 0)) {
      fail(op, 'featureSizes', '[height, width] pairs of non-negative integers', `level ${l}: ${JSON.stringify(hw)}`);
    }
    total += hw[0] * hw[1] * cells[l].length;
  });
  const out = new Float32Array(total * 4);
  let k = 0;
  featureSizes.forEach(([h, w], l) => {
    const s = strides[l];
    const [sy, sx] = typeof s === 'number' ? [s, s] : s;
    if (![sy, sx].every((v) => typeof v === 'number' && v > 0 && Number.isFinite(v))) fail(op, 'strides', 'positive numbers', JSON.stringify(s));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (const a of cells[l]) {
          out[k++] = a[0] + x * sx;
          out[k++] = a[1] + y * sy;
          out[k++] = a[2] + x * sx;
          out[k++] = a[3] + y * sy;
        }
      }
    }
  });
  return tf.tensor2d(out, [total, 4]);
}

function levelCells(options: GridAnchorOptions, levels: number): number[][][] {
  if (options.cellAnchors) {
    if (options.cellAnchors.length !== levels) fail('gridAnchors', 'cellAnchors', `one list of cell anchors per level (${levels})`, `${options.cellAnchors.length}`);
    options.cellAnchors.forEach((level, l) => {
      if (!Array.isArray(level) || level.some((a) => !Array.isArray(a) || a.length !== 4 || a.some((v) => !Number.isFinite(v)))) {
        fail('gridAnchors', 'cellAnchors', 'per level, an array of finite [x1,y1,x2,y2] boxes', `level ${l}`);
      }
    });
    return options.cellAnchors;
  }
  const { sizes, aspectRatios } = options;
  if (!Array.isArray(sizes) || sizes.length !== levels) fail('gridAnchors', 'sizes', `one list of sizes per level (${levels}), or cellAnchors`, JSON.stringify(sizes));
  if (!Array.isArray(aspectRatios) || aspectRatios.length !== levels) fail('gridAnchors', 'aspectRatios', `one list of ratios per level (${levels})`, JSON.stringify(aspectRatios));
  return sizes.map((s, l) => cellAnchors(s, aspectRatios[l]));
}
