import { fail } from '../../util/validate';

/** An image as plain pixels: `height·width·channels` values, row-major, channels last (a `Scene`'s layout). */
export interface PixelImage {
  width: number;
  height: number;
  channels: number;
  data: ArrayLike<number>;
}

/** Checks the shape of a PixelImage so a wrong one fails here, naming the argument, not deep in a loop. */
export function checkPixelImage(op: string, image: PixelImage): void {
  if (typeof image !== 'object' || image === null) fail(op, 'image', 'an object {width, height, channels, data}', String(image));
  const { width, height, channels, data } = image;
  for (const [name, v] of [['width', width], ['height', height], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v < 1) fail(op, `image.${name}`, 'a positive integer', String(v));
  }
  if (data == null || typeof data.length !== 'number') fail(op, 'image.data', 'an array of pixel values', String(data));
  if (data.length !== width * height * channels) fail(op, 'image.data', `width·height·channels = ${width * height * channels} values`, `${data.length}`);
}
