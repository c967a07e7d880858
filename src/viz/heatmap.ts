/**
 * A detector's `[rows, cols]` score map drawn as a translucent overlay on the
 * photo it was computed from. The map lives on a grid over the model's square,
 * letterboxed input; the letterbox transform (`pretrained.letterboxTransform`,
 * or `detector.raw(image).transform`) says where that square lands on the photo.
 * The arithmetic and the colours are pure (unit-tested); `heatmapOverlay`
 * draws on a canvas (browser only).
 */

/** How a photo was placed in the square model input (the fields of `pretrained.LetterboxTransform`). */
export interface GridTransform {
  inputSize: number;
  width: number;
  height: number;
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the whole model input square, padding included, lands in the photo's
 * pixels: a point (u, v) of the input is ((u - padX) / scaleX, (v - padY) / scaleY).
 * Parts of the square fall outside the photo (the padding).
 *
 * @example
 * // 704x576 photo in a 512 square: scaleX = 512/704, scaleY = 419/576, padX = 0, padY = 46
 * inputSquareInPhoto(t); // { x: 0, y: -63.24, width: 704, height: 703.85 }
 */
export function inputSquareInPhoto(t: GridTransform): Rect {
  return {
    x: -t.padX / t.scaleX,
    y: -t.padY / t.scaleY,
    width: t.inputSize / t.scaleX,
    height: t.inputSize / t.scaleY,
  };
}

/**
 * The photo-pixel rectangle covered by cell (row `i`, column `j`) of a score map
 * with `stride` input pixels per cell; its centre is the cell centre
 * ((j + 0.5) * stride, (i + 0.5) * stride) mapped to the photo.
 *
 * @example
 * gridCellInPhoto(0, 0, 4, t); // the top-left 4x4 input pixels, in the photo's pixels
 */
export function gridCellInPhoto(i: number, j: number, stride: number, t: GridTransform): Rect {
  return {
    x: (j * stride - t.padX) / t.scaleX,
    y: (i * stride - t.padY) / t.scaleY,
    width: stride / t.scaleX,
    height: stride / t.scaleY,
  };
}

/** Colour stops of the overlay ramp (dark purple → red → yellow, as "inferno"), at 0, 0.25, 0.5, 0.75, 1. */
const STOPS: Array<[number, number, number]> = [
  [40, 11, 84],
  [120, 28, 109],
  [203, 71, 71],
  [249, 142, 9],
  [252, 255, 164],
];

/**
 * The RGB colour of a value already scaled to [0, 1] (clamped), linearly
 * between the ramp's stops.
 *
 * @example
 * rampColor(0); // [40, 11, 84]
 * rampColor(1); // [252, 255, 164]
 */
export function rampColor(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - k;
  const a = STOPS[k];
  const b = STOPS[k + 1];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

export interface HeatmapRgbaOptions {
  /** The value drawn fully coloured (default 1: scores are probabilities). */
  vmax?: number;
  /** Opacity of a value at `vmax`, in [0, 1] (default 0.75); opacity grows linearly from 0 at value 0. */
  maxAlpha?: number;
}

/**
 * RGBA bytes (as `ImageData.data`) for a row-major score map: colour from the
 * ramp, opacity proportional to the score, so low scores leave the photo visible.
 * NaN draws as transparent.
 *
 * @example
 * heatmapRgba([0, 1], { maxAlpha: 0.5 }); // [40, 11, 84, 0,  252, 255, 164, 128]
 */
export function heatmapRgba(values: ArrayLike<number>, options: HeatmapRgbaOptions = {}): Uint8ClampedArray {
  const vmax = options.vmax ?? 1;
  const maxAlpha = options.maxAlpha ?? 0.75;
  if (!(vmax > 0) || !Number.isFinite(vmax)) throw new Error(`heatmapRgba: 'vmax' must be a positive number, got ${vmax}.`);
  if (!(maxAlpha >= 0 && maxAlpha <= 1)) throw new Error(`heatmapRgba: 'maxAlpha' must be in [0, 1], got ${maxAlpha}.`);
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const s = Number.isFinite(v) ? Math.min(1, Math.max(0, v / vmax)) : 0;
    const [r, g, b] = rampColor(s);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = Number.isFinite(v) ? Math.round(255 * maxAlpha * s) : 0;
  }
  return out;
}

export interface HeatmapOverlayOptions extends HeatmapRgbaOptions {
  /** The photo: an `<img>`, `<canvas>` or `<video>`, drawn underneath. */
  image: CanvasImageSource;
  /** Score map, row-major `rows * cols` values (e.g. `await heatmap.data()` of one class). */
  values: ArrayLike<number>;
  rows: number;
  cols: number;
  /** The letterbox transform of this photo into the model input. */
  transform: GridTransform;
  /** Width of the canvas in screen pixels (default: the photo's width, at most 640). */
  displayWidth?: number;
  /** Bilinear smoothing of the score map (default false: each cell is a visible square). */
  smooth?: boolean;
}

/** Checks the sizes of a score map against its values; throws a message naming the mismatch. */
export function checkGrid(values: ArrayLike<number>, rows: number, cols: number): void {
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) {
    throw new Error(`heatmapOverlay: 'rows' and 'cols' must be positive whole numbers, got ${rows} x ${cols}.`);
  }
  if (!values || values.length !== rows * cols) {
    throw new Error(`heatmapOverlay: a ${rows}x${cols} map needs ${rows * cols} values, got ${values?.length}.`);
  }
}

/**
 * A canvas with the photo and, over it, the score map placed through the
 * letterbox transform (browser only). The padding part of the map falls
 * outside the photo and is cut off.
 *
 * @example
 * const raw = keep(await centernet.raw(img));
 * const car = await tf.tidy(() => raw.heatmap.gather([2], 2)).data();
 * heatmapOverlay({ image: img, values: car, rows: 128, cols: 128, transform: raw.transform });
 */
export function heatmapOverlay(options: HeatmapOverlayOptions): HTMLCanvasElement {
  const { image, values, rows, cols, transform: t } = options;
  checkGrid(values, rows, cols);
  if (!(t.width > 0 && t.height > 0)) throw new Error(`heatmapOverlay: the photo must have a positive size, got ${t.width} x ${t.height}.`);
  const displayWidth = Math.round(options.displayWidth ?? Math.min(t.width, 640));
  const k = displayWidth / t.width;
  const displayHeight = Math.max(1, Math.round(t.height * k));
  // Backing store at the screen's pixel density, so the photo stays sharp on high-DPI screens.
  const dpr = Math.min(3, Math.max(1, globalThis.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(displayWidth * dpr);
  canvas.height = Math.round(displayHeight * dpr);
  canvas.style.width = `${displayWidth}px`;
  canvas.style.maxWidth = '100%';
  canvas.style.height = 'auto';
  canvas.style.display = 'block';
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('heatmapOverlay: this browser gave no 2D canvas context.');
  ctx.scale(dpr, dpr);
  ctx.drawImage(image, 0, 0, displayWidth, displayHeight);
  const grid = document.createElement('canvas');
  grid.width = cols;
  grid.height = rows;
  const gctx = grid.getContext('2d')!;
  const img = gctx.createImageData(cols, rows);
  img.data.set(heatmapRgba(values, options));
  gctx.putImageData(img, 0, 0);
  const r = inputSquareInPhoto(t);
  ctx.imageSmoothingEnabled = options.smooth ?? false;
  ctx.drawImage(grid, r.x * k, r.y * k, r.width * k, r.height * k);
  return canvas;
}

/**
 * A horizontal colour bar for the ramp, 0 to `vmax`, as an SVG string.
 *
 * @example
 * heatmapLegendMarkup({ vmax: 1, width: 200 });
 */
export function heatmapLegendMarkup({ vmax = 1, width = 200, label = 'score' }: { vmax?: number; width?: number; label?: string } = {}): string {
  const stops = [0, 0.25, 0.5, 0.75, 1]
    .map((s) => `<stop offset="${s}" stop-color="rgb(${rampColor(s).join(',')})"/>`)
    .join('');
  const id = `vn-ramp-${Math.random().toString(36).slice(2, 8)}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 80}" height="28" style="font: 11px sans-serif">` +
    `<defs><linearGradient id="${id}">${stops}</linearGradient></defs>` +
    `<text x="0" y="12" fill="currentColor">${label}</text>` +
    `<rect x="40" y="2" width="${width}" height="12" fill="url(#${id})"/>` +
    `<text x="40" y="26" fill="currentColor">0</text><text x="${40 + width}" y="26" text-anchor="end" fill="currentColor">${+vmax.toFixed(3)}</text></svg>`
  );
}
