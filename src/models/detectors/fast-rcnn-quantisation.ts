import { fail } from '../../util/validate';

/**
 * Where RoIPool and RoIAlign read one RoI, in feature-map cells, for drawing
 * the quantisation error (Lesson 8) and checking it by hand. Both follow the
 * core's kernels (torchvision's CPU kernels): `core.roiPool` rounds the scaled
 * corners to whole cells (halves away from zero) and cuts the rounded RoI into
 * bins of whole cells; `core.roiAlign` (aligned = false) keeps the exact corners
 * and samples bilinearly at regular points inside each exact bin.
 */

export interface RoiGridOptions {
  /** Bins per side. */
  outputSize: number;
  /** 1 / stride: image pixels → feature cells. */
  spatialScale: number;
  /** RoIAlign's samples per bin side (default 2). */
  samplingRatio?: number;
  /** Feature map `[height, width]`, to clip RoIPool's bins as the kernel does (default: no clipping). */
  mapSize?: [number, number];
}

/** A rectangle `[x1, y1, x2, y2]` in feature cells (cell j spans [j, j + 1)). */
export type CellRect = [number, number, number, number];

export interface RoiGrids {
  /** The RoI scaled to the map, exact. */
  exact: CellRect;
  /** The cells RoIPool reads: the rounded corners, the last row and column included. */
  quantised: CellRect;
  /** RoIPool's bins, row-major: each a block of whole cells (they may overlap by one cell). */
  poolBins: CellRect[];
  /** RoIAlign's exact bins, row-major. */
  alignBins: CellRect[];
  /** RoIAlign's sample points `[x, y]` in the kernel's coordinates (cell j's value sits at j), `samplingRatio`² per bin, row-major by bin. */
  alignSamples: [number, number][];
}

const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/**
 * RoIPool's and RoIAlign's grids for one RoI `[x1, y1, x2, y2]` in image pixels.
 *
 * @example
 * // Stride 4, x from 10 to 27 px: exact 2.5..6.75 cells; RoIPool rounds to cells 3..7 (5 cells), two bins of 2.5 → cells 3-5 and 5-7.
 * roiGrids([10, 0, 27, 32], {outputSize: 2, spatialScale: 1 / 4}).poolBins[0]; // [3, 0, 6, 4]
 */
export function roiGrids(roi: number[], options: RoiGridOptions): RoiGrids {
  const op = 'roiGrids';
  if (!Array.isArray(roi) || roi.length !== 4 || !roi.every(Number.isFinite) || roi[2] < roi[0] || roi[3] < roi[1]) {
    fail(op, 'roi', 'a box [x1, y1, x2, y2] of finite numbers with x2 >= x1, y2 >= y1', JSON.stringify(roi));
  }
  const { outputSize: n, spatialScale: s, samplingRatio = 2, mapSize } = options ?? ({} as RoiGridOptions);
  if (!Number.isInteger(n) || n < 1) fail(op, 'outputSize', 'a positive integer', String(n));
  if (typeof s !== 'number' || !(s > 0) || !Number.isFinite(s)) fail(op, 'spatialScale', 'a positive number', String(s));
  if (!Number.isInteger(samplingRatio) || samplingRatio < 1) fail(op, 'samplingRatio', 'a positive integer', String(samplingRatio));
  const [x1, y1, x2, y2] = roi.map((v) => v * s);
  const [qx1, qy1, qx2, qy2] = [x1, y1, x2, y2].map(roundHalfAway);
  const roiW = Math.max(qx2 - qx1 + 1, 1);
  const roiH = Math.max(qy2 - qy1 + 1, 1);
  const [H, W] = mapSize ?? [Infinity, Infinity];
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const poolBins: CellRect[] = [];
  const alignBins: CellRect[] = [];
  const alignSamples: [number, number][] = [];
  // aligned = false: the exact RoI is at least one cell a side.
  const w = Math.max(x2 - x1, 1);
  const h = Math.max(y2 - y1, 1);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      poolBins.push([
        clip(Math.floor((q * roiW) / n) + qx1, W), clip(Math.floor((p * roiH) / n) + qy1, H),
        clip(Math.ceil(((q + 1) * roiW) / n) + qx1, W), clip(Math.ceil(((p + 1) * roiH) / n) + qy1, H),
      ]);
      alignBins.push([x1 + (q * w) / n, y1 + (p * h) / n, x1 + ((q + 1) * w) / n, y1 + ((p + 1) * h) / n]);
      for (let i = 0; i < samplingRatio; i++) {
        for (let j = 0; j < samplingRatio; j++) {
          alignSamples.push([x1 + (q * w) / n + ((j + 0.5) * w) / n / samplingRatio, y1 + (p * h) / n + ((i + 0.5) * h) / n / samplingRatio]);
        }
      }
    }
  }
  return { exact: [x1, y1, x2, y2], quantised: [qx1, qy1, qx2 + 1, qy2 + 1], poolBins, alignBins, alignSamples };
}
