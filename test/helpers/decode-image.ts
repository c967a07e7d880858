import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { packageFile } from '../../scripts/package-file';

/** RGBA pixels of a decoded image, the shape browsers' `ImageData` has. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Decodes a JPEG file (Node tests only; pages decode with <img>/canvas).
 *
 * @example
 * const photo = decodeJpeg(jimpTestImage('fillbytes.jpg')); // {data, width: 704, height: 576}
 */
export function decodeJpeg(path: string): DecodedImage {
  const { data, width, height } = jpeg.decode(readFileSync(path), { useTArray: true, maxMemoryUsageInMB: 1024 });
  return { data, width, height };
}

/** Path of a photo in `@jimp/test-utils/images/`. */
export function jimpTestImage(name: string): string {
  return packageFile('@jimp/test-utils', `images/${name}`);
}
