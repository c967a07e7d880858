import * as tf from '@tensorflow/tfjs';

/**
 * The bookkeeping of Swin's windows, following torchvision's
 * `swin_transformer.py` (`shifted_window_attention`, `ShiftedWindowAttention.define_relative_coords`):
 * cutting a map into windows and back, the relative-position index into the bias
 * table, and the mask that keeps a shifted window's tokens from attending across
 * the seams the cyclic shift creates. Layouts are channels-last, as torchvision's
 * Swin is internally (`[B, H, W, C]`).
 */

export type Pair = [number, number];

function fail(op: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${op}: '${arg}' must be ${expected}, got ${typeof got === 'object' ? JSON.stringify(got) : String(got)}.`);
}

/** A window or feature size as a pair of positive integers (a number means square). */
export function toPair(op: string, arg: string, v: number | readonly number[]): Pair {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? [...v] : null;
  if (!p || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n > 0)) fail(op, arg, 'a positive integer or a pair [h, w] of them', v);
  return [p[0], p[1]];
}

/** A shift as a pair of integers in [0, window). */
export function checkShift(op: string, shift: number | readonly number[], window: Pair): Pair {
  const s = typeof shift === 'number' ? [shift, shift] : Array.isArray(shift) ? [...shift] : null;
  if (!s || s.length !== 2 || !s.every((n) => Number.isInteger(n) && n >= 0)) fail(op, 'shiftSize', 'a non-negative integer or a pair of them', shift);
  for (let i = 0; i < 2; i++) {
    if (s[i] >= window[i]) {
      fail(op, 'shiftSize', `smaller than the window size (${window[i]}; torchvision's blocks use window // 2 = ${Math.floor(window[i] / 2)})`, shift);
    }
  }
  return [s[0], s[1]];
}

/**
 * The map size after torchvision's padding: right and bottom zeros up to a
 * multiple of the window (`pad_r = (ws - W % ws) % ws`).
 */
export function paddedSize([h, w]: Pair, [wh, ww]: Pair): Pair {
  return [h + ((wh - (h % wh)) % wh), w + ((ww - (w % ww)) % ww)];
}

/**
 * The shift torchvision actually applies: none along an axis where one window
 * already covers the (padded) map, since there is nothing to connect.
 */
export function effectiveShift(size: Pair, window: Pair, shift: Pair): Pair {
  const [ph, pw] = paddedSize(size, window);
  return [window[0] >= ph ? 0 : shift[0], window[1] >= pw ? 0 : shift[1]];
}

/**
 * `[B, H, W, C]` → `[B·nW, wh, ww, C]`: windows in row-major order over the map
 * (window (i, j) is number i·(W/ww) + j), tokens row-major inside each window.
 * H and W must be multiples of the window; the attention layer pads to that
 * first, with zeros on the right and bottom as torchvision does.
 *
 * @example
 * const w = swin.windowPartition(tf.zeros([2, 8, 8, 3]), 4); // [8, 4, 4, 3]
 */
export function windowPartition(x: tf.Tensor, windowSize: number | Pair): tf.Tensor4D {
  const op = 'windowPartition';
  if (!(x instanceof tf.Tensor) || x.rank !== 4) fail(op, 'x', 'a [B, H, W, C] tensor', x instanceof tf.Tensor ? `shape [${x.shape}]` : x);
  const [wh, ww] = toPair(op, 'windowSize', windowSize);
  const [b, h, w, c] = x.shape;
  if (h % wh !== 0 || w % ww !== 0) {
    const [ph, pw] = paddedSize([h, w], [wh, ww]);
    fail(op, 'windowSize', `a divisor of the map size ${h}×${w} (torchvision pads the map with zeros on the right and bottom to ${ph}×${pw} before partitioning; pad first, or use the attention layer, which does)`, windowSize);
  }
  return tf.tidy(() => {
    // Rank 5 at most, so every backend's transpose takes it: rows of windows first.
    const rows = x.reshape([b * (h / wh), wh, w / ww, ww, c]);
    return rows.transpose([0, 2, 1, 3, 4]).reshape([b * (h / wh) * (w / ww), wh, ww, c]) as tf.Tensor4D;
  });
}

/** `[B·nW, wh, ww, C]` → `[B, H, W, C]`, the inverse of `windowPartition`. */
export function windowReverse(windows: tf.Tensor, windowSize: number | Pair, mapSize: number | Pair): tf.Tensor4D {
  const op = 'windowReverse';
  const [wh, ww] = toPair(op, 'windowSize', windowSize);
  const [h, w] = toPair(op, 'mapSize', mapSize);
  if (h % wh !== 0 || w % ww !== 0) fail(op, 'windowSize', `a divisor of mapSize ${h}×${w}`, windowSize);
  if (!(windows instanceof tf.Tensor) || windows.rank < 3 || windows.rank > 4) fail(op, 'windows', 'a [B·nW, wh, ww, C] tensor', windows instanceof tf.Tensor ? `shape [${windows.shape}]` : windows);
  const c = (windows.rank === 4 ? windows.shape[3] : windows.shape[2]) as number;
  const nW = (h / wh) * (w / ww);
  const count = windows.shape[0] as number;
  if (count % nW !== 0 || windows.size !== count * wh * ww * c) {
    fail(op, 'windows', `a multiple of ${nW} windows of ${wh}×${ww} tokens for a ${h}×${w} map`, `shape [${windows.shape}]`);
  }
  const b = count / nW;
  return tf.tidy(() => windows.reshape([b * (h / wh), w / ww, wh, ww, c]).transpose([0, 2, 1, 3, 4]).reshape([b, h, w, c]) as tf.Tensor4D);
}

/**
 * The relative-position index as plain numbers, row-major `[N·N]`: for tokens
 * p = (y1, x1) and q = (y2, x2) of one window, `(y1 - y2 + wh - 1)·(2ww - 1) + (x1 - x2 + ww - 1)`.
 */
export function relativePositionIndexValues(windowSize: number | Pair): Int32Array {
  const [wh, ww] = toPair('relativePositionIndex', 'windowSize', windowSize);
  const n = wh * ww;
  const out = new Int32Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const dy = Math.floor(p / ww) - Math.floor(q / ww);
      const dx = (p % ww) - (q % ww);
      out[p * n + q] = (dy + wh - 1) * (2 * ww - 1) + (dx + ww - 1);
    }
  }
  return out;
}

/**
 * The `[N, N]` int32 index into a bias table of `(2wh-1)(2ww-1)` rows: torchvision's
 * `relative_position_index` buffer. Equal offsets share a row, which is why the
 * table is small and the bias is translation-invariant inside a window.
 */
export function relativePositionIndex(windowSize: number | Pair): tf.Tensor2D {
  const [wh, ww] = toPair('relativePositionIndex', 'windowSize', windowSize);
  return tf.tensor2d(relativePositionIndexValues([wh, ww]), [wh * ww, wh * ww], 'int32');
}

/**
 * Region labels of the (padded) map after the cyclic shift, row-major `[H·W]`:
 * the 3 × 3 grid of torchvision's slices `(0, -ws)`, `(-ws, -shift)`, `(-shift, end)`
 * per axis, numbered 0..8 row by row as in the paper's Figure 4. Tokens with
 * different labels were not neighbours before the roll.
 */
export function shiftedWindowRegionValues(mapSize: number | Pair, windowSize: number | Pair, shiftSize: number | Pair): { labels: Int32Array; size: Pair; shift: Pair } {
  const op = 'shiftedWindowMask';
  const window = toPair(op, 'windowSize', windowSize);
  const shift = checkShift(op, shiftSize, window);
  const size = paddedSize(toPair(op, 'mapSize', mapSize), window);
  const [h, w] = size;
  const band = (i: number, n: number, ws: number, s: number) => (s === 0 ? 0 : i < n - ws ? 0 : i < n - s ? 1 : 2);
  const labels = new Int32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) labels[y * w + x] = 3 * band(y, h, window[0], shift[0]) + band(x, w, window[1], shift[1]);
  }
  return { labels, size, shift };
}

/**
 * `[nW, N, N]` float tensor: 0 where two tokens of a shifted window share a region,
 * -100 where they do not (torchvision's value; after softmax such a pair gets
 * e^-100 of the weight, i.e. none). The map is padded first exactly as the
 * attention layer pads it, so nW counts windows of the padded map. A zero shift
 * gives all zeros: plain windows need no mask.
 *
 * @example
 * swin.shiftedWindowMask([4, 4], 2, 1) // [4, 4, 4]; window 3 (bottom right) mixes four regions
 */
export function shiftedWindowMask(mapSize: number | Pair, windowSize: number | Pair, shiftSize: number | Pair): tf.Tensor3D {
  const window = toPair('shiftedWindowMask', 'windowSize', windowSize);
  const { labels, size } = shiftedWindowRegionValues(mapSize, window, shiftSize);
  const [h, w] = size;
  const [wh, ww] = window;
  const n = wh * ww;
  const nW = (h / wh) * (w / ww);
  const out = new Float32Array(nW * n * n);
  for (let win = 0; win < nW; win++) {
    const y0 = Math.floor(win / (w / ww)) * wh;
    const x0 = (win % (w / ww)) * ww;
    const lab = (t: number) => labels[(y0 + Math.floor(t / ww)) * w + x0 + (t % ww)];
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) out[(win * n + p) * n + q] = lab(p) === lab(q) ? 0 : -100;
    }
  }
  return tf.tensor3d(out, [nW, n, n]);
}

/** `torch.roll` of a `[B, H, W, C]` tensor by (dy, dx) along H and W: element i moves to i + shift (mod size). */
export function roll2d(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x;
    const [, h, w] = x.shape;
    const sy = ((dy % h) + h) % h;
    const sx = ((dx % w) + w) % w;
    if (sy) y = tf.concat([y.slice([0, h - sy, 0, 0], [-1, sy, -1, -1]), y.slice([0, 0, 0, 0], [-1, h - sy, -1, -1])], 1);
    if (sx) y = tf.concat([y.slice([0, 0, w - sx, 0], [-1, -1, sx, -1]), y.slice([0, 0, 0, 0], [-1, -1, w - sx, -1])], 2);
    return y === x ? x.clone() : y;
  });
}
