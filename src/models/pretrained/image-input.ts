import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

/** Raw pixels: RGBA (4 values a pixel, as in `ImageData`) or RGB (3), 0-255, row-major. */
export interface PixelData {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

/**
 * Anything a detector accepts as a photo. In Node only tensors and
 * `{data, width, height}` exist; the DOM types are checked for only when the
 * DOM is there.
 */
export type ImageInput =
  | tf.Tensor3D
  | PixelData
  | ImageData
  | HTMLImageElement
  | HTMLCanvasElement
  | HTMLVideoElement;

/** Images whose longer side exceeds this are downscaled first (WebGL textures stop at 4096-16384 px). */
export const MAX_IMAGE_SIDE = 4096;

export interface ImageTensor {
  /** `[h, w, 3]` float32 RGB 0-255; the caller disposes it. */
  pixels: tf.Tensor3D;
  /** Size of the image as given (before any downscaling). */
  width: number;
  height: number;
  /** `pixels` width over `width` (1 unless the image was downscaled). */
  scale: number;
  /** Set when the image was downscaled: a sentence to show the reader. */
  notice?: string;
}

const hasDom = (name: string): boolean => typeof (globalThis as Record<string, unknown>)[name] === 'function';

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (x instanceof tf.Tensor) return `a ${x.dtype} tensor of shape [${x.shape}]`;
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return `a ${typeof x}`;
}

function checkSize(op: string, arg: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    fail(op, arg, 'an image with a whole-number width and height', `${width}x${height}`);
  }
  if (width === 0 || height === 0) fail(op, arg, 'a non-empty image', `an empty ${width}x${height} image`);
}

function downscaleFactor(width: number, height: number, maxSide: number): number {
  return Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
}

function notice(width: number, height: number, w: number, h: number): string {
  return `The image is ${width}x${height} pixels; it was downscaled to ${w}x${h} before detection (boxes are still in the original's pixels).`;
}

/** Tensor or pixel array → float RGB, downscaled by `scale` if below 1. Runs inside a tidy. */
function finish(rgb: tf.Tensor3D, width: number, height: number, scale: number): ImageTensor {
  if (scale === 1) return { pixels: tf.tidy(() => tf.cast(rgb, 'float32')), width, height, scale };
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const pixels = tf.tidy(() => tf.image.resizeBilinear(tf.cast(rgb, 'float32'), [h, w], false, true));
  return { pixels, width, height, scale: w / width, notice: notice(width, height, w, h) };
}

function fromTensor(op: string, arg: string, x: tf.Tensor, maxSide: number): ImageTensor {
  if (x.isDisposed) fail(op, arg, 'a live tensor', 'a disposed tensor');
  if (x.rank !== 3 || (x.shape[2] !== 3 && x.shape[2] !== 4)) {
    fail(op, arg, 'a [height, width, 3] (RGB) or [height, width, 4] (RGBA) tensor', `shape [${x.shape}]`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') fail(op, arg, 'a float32 or int32 tensor', `dtype ${x.dtype}`);
  const [height, width] = x.shape;
  checkSize(op, arg, width, height);
  const rgb = x.shape[2] === 4 ? tf.slice(x as tf.Tensor3D, [0, 0, 0], [height, width, 3]) : (x as tf.Tensor3D);
  try {
    return finish(rgb, width, height, downscaleFactor(width, height, maxSide));
  } finally {
    if (rgb !== x) rgb.dispose();
  }
}

function fromPixelData(op: string, arg: string, x: PixelData, maxSide: number): ImageTensor {
  const { data, width, height } = x;
  if (typeof width !== 'number' || typeof height !== 'number') {
    fail(op, arg, 'an object with numeric width and height', `width ${String(width)}, height ${String(height)}`);
  }
  checkSize(op, arg, width, height);
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
    fail(op, arg, '{data, width, height} with data an array of 0-255 values', describe(data));
  }
  const n = width * height;
  const channels = data.length === n * 4 ? 4 : data.length === n * 3 ? 3 : 0;
  if (channels === 0) {
    fail(op, arg, `${n * 4} (RGBA) or ${n * 3} (RGB) values for a ${width}x${height} image`, `${data.length} values`);
  }
  // int32 keeps 0-255 bytes exact and is 4x smaller than a copy into float first
  const values = data instanceof Int32Array ? data : Int32Array.from(data);
  const all = tf.tensor3d(values, [height, width, channels], 'int32');
  try {
    return fromTensor(op, arg, all, maxSide);
  } finally {
    all.dispose();
  }
}

type DomSource = HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | ImageData;

function domSize(op: string, arg: string, x: DomSource): [number, number] {
  if (hasDom('HTMLImageElement') && x instanceof HTMLImageElement) {
    if (!x.complete) fail(op, arg, 'an image that has finished loading', `<img> still loading ${x.src.slice(0, 80)}`);
    if (x.naturalWidth === 0 || x.naturalHeight === 0) {
      fail(op, arg, 'an image that decodes', `an <img> that failed to decode or is empty (${x.src.slice(0, 80)})`);
    }
    return [x.naturalWidth, x.naturalHeight];
  }
  if (hasDom('HTMLVideoElement') && x instanceof HTMLVideoElement) {
    if (x.readyState < 2 || x.videoWidth === 0) fail(op, arg, 'a video showing a frame', 'a <video> with no frame yet');
    return [x.videoWidth, x.videoHeight];
  }
  return [x.width, x.height];
}

function fromDom(op: string, arg: string, x: DomSource, maxSide: number): ImageTensor {
  const [width, height] = domSize(op, arg, x);
  checkSize(op, arg, width, height);
  const scale = downscaleFactor(width, height, maxSide);
  if (scale === 1 || (hasDom('ImageData') && x instanceof ImageData)) {
    const rgb = tf.browser.fromPixels(x, 3);
    try {
      return finish(rgb, width, height, scale);
    } finally {
      rgb.dispose();
    }
  }
  // Drawing into a smaller canvas first keeps a huge photo from ever becoming a huge tensor or texture.
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) fail(op, arg, 'an image a 2D canvas can draw', 'no 2D canvas context available');
  ctx.drawImage(x as CanvasImageSource, 0, 0, w, h);
  const rgb = tf.browser.fromPixels(canvas, 3);
  try {
    return { pixels: tf.tidy(() => tf.cast(rgb, 'float32')), width, height, scale: w / width, notice: notice(width, height, w, h) };
  } finally {
    rgb.dispose();
  }
}

function isDomSource(x: unknown): x is DomSource {
  return (
    (hasDom('HTMLImageElement') && x instanceof HTMLImageElement) ||
    (hasDom('HTMLCanvasElement') && x instanceof HTMLCanvasElement) ||
    (hasDom('HTMLVideoElement') && x instanceof HTMLVideoElement) ||
    (hasDom('ImageData') && x instanceof ImageData)
  );
}

/**
 * Turns a photo in any accepted form into a float32 `[h, w, 3]` RGB tensor with
 * values 0-255, checking that it is a real, non-empty image. Images longer than
 * `maxSide` on a side are downscaled, and `notice` says so. The input is never
 * disposed; the returned `pixels` belong to the caller.
 *
 * @example
 * const { pixels, scale } = toImageTensor('detect', 'image', { data: rgba, width: 640, height: 480 });
 * pixels.shape; // [480, 640, 3]
 * pixels.dispose();
 */
export function toImageTensor(op: string, arg: string, image: ImageInput, maxSide = MAX_IMAGE_SIDE): ImageTensor {
  if (image instanceof tf.Tensor) return fromTensor(op, arg, image, maxSide);
  if (isDomSource(image)) return fromDom(op, arg, image, maxSide);
  if (image !== null && typeof image === 'object' && 'data' in image && 'width' in image && 'height' in image) {
    return fromPixelData(op, arg, image as PixelData, maxSide);
  }
  return fail(
    op,
    arg,
    'an image: a [h,w,3] tensor, {data, width, height}, ImageData, or an <img>, <canvas> or <video> element',
    describe(image),
  );
}
