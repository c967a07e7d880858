import * as tf from '@tensorflow/tfjs';

/**
 * How a photo was placed in a square model input: scaled by `scaleX`/`scaleY`
 * (equal up to rounding, so the aspect ratio is kept) and shifted by
 * `padX`/`padY` pixels of padding. `width`/`height` are the photo's own size.
 * A point (u, v) in the model input is (u - padX) / scaleX, (v - padY) / scaleY
 * in the photo.
 */
export interface LetterboxTransform {
  inputSize: number;
  width: number;
  height: number;
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
}

export type Box = [number, number, number, number];

/**
 * The transform that fits a `width`x`height` photo inside an `inputSize`
 * square without distorting it, centred, the rest padded (the "letterbox" of
 * YOLOv5's `letterbox()` and Ultralytics' `LetterBox`, centred padding).
 *
 * @example
 * letterboxTransform(704, 576, 512);
 * // scale 512/704: resized to 512x419 (576*0.7273=418.9), padY = floor((512-419)/2) = 46
 * // { scaleX: 512/704, scaleY: 419/576, padX: 0, padY: 46, ... }
 */
export function letterboxTransform(width: number, height: number, inputSize: number): LetterboxTransform {
  const s = inputSize / Math.max(width, height);
  const w = Math.max(1, Math.min(inputSize, Math.round(width * s)));
  const h = Math.max(1, Math.min(inputSize, Math.round(height * s)));
  return {
    inputSize,
    width,
    height,
    scaleX: w / width,
    scaleY: h / height,
    padX: Math.floor((inputSize - w) / 2),
    padY: Math.floor((inputSize - h) / 2),
  };
}

/**
 * Resizes `[h, w, 3]` pixels (bilinear) into an `inputSize` square, centred
 * and padded with `padValue`, and returns the float32 input with its transform.
 * The caller disposes `input`; `pixels` is left alone.
 *
 * @example
 * const { input, transform } = letterbox(pixels, 512);
 * input.shape; // [512, 512, 3]
 */
export function letterbox(
  pixels: tf.Tensor3D,
  inputSize: number,
  padValue = 0,
): { input: tf.Tensor3D; transform: LetterboxTransform } {
  const [height, width] = pixels.shape;
  const t = letterboxTransform(width, height, inputSize);
  const w = Math.round(width * t.scaleX);
  const h = Math.round(height * t.scaleY);
  const input = tf.tidy(() => {
    const resized = tf.image.resizeBilinear(tf.cast(pixels, 'float32'), [h, w], false, true);
    const pad: Array<[number, number]> = [
      [t.padY, inputSize - h - t.padY],
      [t.padX, inputSize - w - t.padX],
      [0, 0],
    ];
    return tf.pad(resized, pad, padValue) as tf.Tensor3D;
  });
  return { input, transform: t };
}

/**
 * Maps a box `[x1, y1, x2, y2]` from model-input pixels back to the photo's
 * pixels and clips it to the photo.
 *
 * @example
 * const t = letterboxTransform(704, 576, 512);
 * unletterboxBox([100, 46, 200, 465], t);
 * // x: 100 / (512/704) = 137.5, 200 / (512/704) = 275
 * // y: (46 - 46) / (419/576) = 0, (465 - 46) / (419/576) = 576
 * // → [137.5, 0, 275, 576]
 */
export function unletterboxBox(box: Box, t: LetterboxTransform): Box {
  const clip = (v: number, hi: number) => Math.min(hi, Math.max(0, v));
  return [
    clip((box[0] - t.padX) / t.scaleX, t.width),
    clip((box[1] - t.padY) / t.scaleY, t.height),
    clip((box[2] - t.padX) / t.scaleX, t.width),
    clip((box[3] - t.padY) / t.scaleY, t.height),
  ];
}

/**
 * The transform after the photo itself was first scaled by `pre` (a downscaled
 * very large image): the result maps model-input pixels straight to the
 * original photo's pixels.
 *
 * @example
 * // a 8000x6000 photo downscaled by 0.512 to 4096x3072, then letterboxed into 512:
 * withPrescale(letterboxTransform(4096, 3072, 512), 0.512, 8000, 6000).scaleX; // 0.125 * 0.512 = 0.064
 */
export function withPrescale(t: LetterboxTransform, pre: number, width: number, height: number): LetterboxTransform {
  if (pre === 1) return t;
  return { ...t, width, height, scaleX: t.scaleX * pre, scaleY: t.scaleY * pre };
}
