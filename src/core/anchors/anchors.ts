import { fail } from '../../util/validate';

export interface AnchorOptions {
  /** Side of the reference square (default 16, the VGG16 stride). */
  baseSize?: number;
  /** Height / width ratios (default [0.5, 1, 2]). */
  ratios?: number[];
  /** Multipliers of the base size (default [8, 16, 32]). */
  scales?: number[];
}

/** numpy.round: halves go to the even neighbour (11.5 → 12, 12.5 → 12). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function positiveList(op: string, arg: string, xs: unknown): number[] {
  if (!Array.isArray(xs) || xs.length === 0 || xs.some((x) => typeof x !== 'number' || !(x > 0) || !Number.isFinite(x))) {
    fail(op, arg, 'a non-empty array of positive numbers', JSON.stringify(xs));
  }
  return xs as number[];
}

/**
 * The anchors of one feature-map cell as in Faster R-CNN (py-faster-rcnn's
 * `generate_anchors`): start from the square [0, 0, baseSize-1, baseSize-1],
 * reshape it to each ratio keeping its area (sides rounded as numpy does), then
 * scale it; ratios outer, scales inner. This uses the old "+1" pixel
 * convention (width = x2 - x1 + 1) of that code, so the defaults give its 9
 * anchors exactly, centred on (7.5, 7.5).
 *
 * Note: the comment block in py-faster-rcnn's file shows [-83, -39, 100, 56]
 * first (from the MATLAB version); the Python code actually returns [-84, -40, 99, 55].
 *
 * @example
 * generateAnchors(); // [[-84, -40, 99, 55], [-176, -88, 191, 103], ... 9 rows]
 */
export function generateAnchors(options: AnchorOptions = {}): number[][] {
  const { baseSize = 16, ratios = [0.5, 1, 2], scales = [8, 16, 32] } = options;
  if (typeof baseSize !== 'number' || !(baseSize > 0) || !Number.isFinite(baseSize)) fail('generateAnchors', 'baseSize', 'a positive number', String(baseSize));
  positiveList('generateAnchors', 'ratios', ratios);
  positiveList('generateAnchors', 'scales', scales);
  const w = baseSize;
  const ctr = 0.5 * (baseSize - 1);
  const out: number[][] = [];
  for (const ratio of ratios) {
    const ws = roundHalfEven(Math.sqrt((w * w) / ratio));
    const hs = roundHalfEven(ws * ratio);
    for (const scale of scales) {
      const sw = ws * scale;
      const sh = hs * scale;
      out.push([ctr - 0.5 * (sw - 1), ctr - 0.5 * (sh - 1), ctr + 0.5 * (sw - 1), ctr + 0.5 * (sh - 1)]);
    }
  }
  return out;
}

/**
 * The zero-centred cell anchors of torchvision's AnchorGenerator for one level:
 * for each aspect ratio r (= height / width) and size s, a box of width
 * s/√r and height s·√r, corners rounded half-to-even; ratios outer, sizes inner.
 *
 * @example
 * cellAnchors([32], [0.5, 1, 2]); // [[-23, -11, 23, 11], [-16, -16, 16, 16], [-11, -23, 11, 23]]
 */
export function cellAnchors(sizes: number[], aspectRatios: number[]): number[][] {
  positiveList('cellAnchors', 'sizes', sizes);
  positiveList('cellAnchors', 'aspectRatios', aspectRatios);
  const out: number[][] = [];
  for (const r of aspectRatios) {
    const hRatio = Math.sqrt(r);
    for (const s of sizes) {
      const ws = s / hRatio;
      const hs = s * hRatio;
      out.push([-ws / 2, -hs / 2, ws / 2, hs / 2].map(roundHalfEven));
    }
  }
  return out;
}
