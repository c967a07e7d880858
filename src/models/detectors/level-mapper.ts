import { fail } from '../../util/validate';

export interface LevelMapperOptions {
  /** Finest and coarsest pyramid levels RoIs may use (P2..P5: 2 and 5). */
  kMin: number;
  kMax: number;
  /** k0: the level a box of canonicalScale pixels goes to (FPN paper: 4). */
  canonicalLevel?: number;
  /** Box side (√area) that maps to canonicalLevel (paper: 224, the ImageNet size). See `canonicalScaleFor`. */
  canonicalScale?: number;
  /** Added before the floor so a box exactly on a boundary is not lost to rounding (torchvision: 1e-6). */
  eps?: number;
}

/**
 * The FPN paper's RoI-to-level rule (eq. 1) as torchvision's LevelMapper:
 * k = ⌊k0 + log2(√(wh) / s0) + eps⌋ clamped to [kMin, kMax], returned as
 * k - kMin (an index into the list of levels). Boxes flat x1,y1,x2,y2.
 *
 * @example
 * mapLevels([0, 0, 224, 224, 0, 0, 112, 112], {kMin: 2, kMax: 5}); // [2, 1]  (P4, P3)
 */
export function mapLevels(boxes: ArrayLike<number>, options: LevelMapperOptions): Int32Array {
  const op = 'mapLevels';
  const { kMin, kMax, canonicalLevel = 4, canonicalScale = 224, eps = 1e-6 } = options;
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin > kMax) fail(op, 'kMin', `an integer at most kMax (${kMax})`, String(kMin));
  if (!(canonicalScale > 0)) fail(op, 'canonicalScale', 'a positive number', String(canonicalScale));
  if (boxes.length % 4 !== 0) fail(op, 'boxes', 'flat x1,y1,x2,y2 values (a multiple of 4)', `${boxes.length} values`);
  const out = new Int32Array(boxes.length / 4);
  for (let i = 0; i < out.length; i++) {
    const s = Math.sqrt((boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]));
    // A zero-area box has log2(0) = -Infinity: the finest level, as torch's floor/clamp gives.
    const k = Math.floor(canonicalLevel + Math.log2(s / canonicalScale) + eps);
    out[i] = Math.min(kMax, Math.max(kMin, k)) - kMin;
  }
  return out;
}

/**
 * s0 adapted to the input: the paper's 224 belongs to images resized to ~800 px
 * (torchvision's min_size), so a box 224/800 of the image side goes to k0.
 * For 128 px scenes: s0 = 35.84, so digits of 8-64 px spread over P2-P4
 * instead of all landing on P2 as they would with s0 = 224.
 */
export function canonicalScaleFor(imageSide: number): number {
  if (!(imageSide > 0)) fail('canonicalScaleFor', 'imageSide', 'a positive number', String(imageSide));
  return (224 * imageSide) / 800;
}
