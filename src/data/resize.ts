/**
 * Image resampling in plain JS so Node and the browser give identical bytes.
 * A separable triangle filter: bilinear when enlarging; when shrinking, the
 * filter widens by 1/scale, averaging the covered area (PIL's antialiased
 * bilinear; torchvision `antialias=True`). Pixel centres sit at i + 0.5.
 */

interface Taps {
  /** For each output index, its first source index and its weights. */
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array[];
}

/**
 * Output index i (in output coordinates) samples source position
 * (i + 0.5 - offset) / scale - 0.5 of a source axis of length srcLen.
 */
function axisTaps(dstStart: number, dstLen: number, srcLen: number, scale: number, offset: number): Taps {
  const support = Math.max(1, 1 / scale);
  const start = new Int32Array(dstLen);
  const count = new Int32Array(dstLen);
  const weights: Float32Array[] = [];
  for (let i = 0; i < dstLen; i++) {
    const c = (dstStart + i + 0.5 - offset) / scale;
    const lo = Math.max(0, Math.floor(c - support));
    const hi = Math.min(srcLen, Math.ceil(c + support));
    const w = new Float32Array(Math.max(0, hi - lo));
    let sum = 0;
    for (let k = lo; k < hi; k++) {
      const v = Math.max(0, 1 - Math.abs(k + 0.5 - c) / support);
      w[k - lo] = v;
      sum += v;
    }
    if (sum > 0) for (let k = 0; k < w.length; k++) w[k] /= sum;
    start[i] = lo;
    count[i] = w.length;
    weights.push(w);
  }
  return { start, count, weights };
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Resamples the part of a source canvas held in `src` (a `srcRegion` of a
 * `srcWidth x srcHeight` canvas; pixels outside the region count as 0) into
 * `dstRegion` of a canvas scaled by `scale` and shifted by `offset`. Used to
 * move object masks exactly as `resize` moves the whole image.
 *
 * @example
 * // a 4x4 mask at (10,10) of a 100x100 canvas, canvas scaled by 2:
 * resampleRegion(alpha, {x:10,y:10,width:4,height:4}, 100, 100, 1, 2, [0,0], {x:20,y:20,width:8,height:8});
 */
export function resampleRegion(
  src: Float32Array,
  srcRegion: Region,
  srcWidth: number,
  srcHeight: number,
  channels: number,
  scale: number | [number, number],
  offset: [number, number],
  dstRegion: Region,
): Float32Array {
  const [sx, sy] = typeof scale === 'number' ? [scale, scale] : scale;
  const tx = axisTaps(dstRegion.x, dstRegion.width, srcWidth, sx, offset[0]);
  const ty = axisTaps(dstRegion.y, dstRegion.height, srcHeight, sy, offset[1]);
  const { x: rx, y: ry, width: rw, height: rh } = srcRegion;
  // Horizontal pass into a temp of (source rows of the region) x (dst cols).
  const tmp = new Float32Array(rh * dstRegion.width * channels);
  for (let r = 0; r < rh; r++) {
    for (let i = 0; i < dstRegion.width; i++) {
      const w = tx.weights[i];
      const s0 = tx.start[i];
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < tx.count[i]; k++) {
          const sx = s0 + k - rx;
          if (sx >= 0 && sx < rw) acc += w[k] * src[(r * rw + sx) * channels + c];
        }
        tmp[(r * dstRegion.width + i) * channels + c] = acc;
      }
    }
  }
  const out = new Float32Array(dstRegion.width * dstRegion.height * channels);
  for (let j = 0; j < dstRegion.height; j++) {
    const w = ty.weights[j];
    const s0 = ty.start[j];
    for (let k = 0; k < ty.count[j]; k++) {
      const sy = s0 + k - ry;
      if (sy < 0 || sy >= rh) continue;
      const wk = w[k];
      const rowIn = sy * dstRegion.width * channels;
      const rowOut = j * dstRegion.width * channels;
      for (let q = 0; q < dstRegion.width * channels; q++) out[rowOut + q] += wk * tmp[rowIn + q];
    }
  }
  return out;
}

/**
 * Resizes an H*W*C image to dstHeight x dstWidth (each axis scaled on its own).
 *
 * @example
 * const small = resize(digit28, 28, 28, 1, 12, 12); // a 12x12 digit, ink averaged
 */
export function resize(src: Float32Array, width: number, height: number, channels: number, dstWidth: number, dstHeight: number): Float32Array {
  if (dstWidth === width && dstHeight === height) return src.slice();
  const full = { x: 0, y: 0, width, height };
  return resampleRegion(src, full, width, height, channels, [dstWidth / width, dstHeight / height], [0, 0], { x: 0, y: 0, width: dstWidth, height: dstHeight });
}
