/**
 * The packed image-set format shared by the packing script, the site assets
 * and the loaders: a 16-byte header, then one label byte per image, then the
 * pixels, one byte per pixel (0..255), row-major, image after image.
 *
 *   bytes 0..3   ASCII 'VNIS'
 *   bytes 4..7   image count N (uint32, little-endian)
 *   bytes 8..11  rows (uint32 LE)
 *   bytes 12..15 cols (uint32 LE)
 *   N bytes      labels
 *   N*rows*cols  pixels
 *
 * No compression: the files are small enough and decoding stays trivial.
 */

export interface ImageSet {
  count: number;
  rows: number;
  cols: number;
  /** One class index per image. */
  labels: Uint8Array;
  /** `count * rows * cols` bytes, 0 = background, 255 = full ink. */
  pixels: Uint8Array;
}

const MAGIC = [0x56, 0x4e, 0x49, 0x53]; // 'VNIS'
const HEADER = 16;

/**
 * Packs an image set into bytes.
 *
 * @example
 * const bytes = packImageSet({count: 1, rows: 2, cols: 2, labels: Uint8Array.of(3), pixels: Uint8Array.of(0, 255, 0, 0)});
 * bytes.length; // 16 + 1 + 4
 */
export function packImageSet(set: ImageSet): Uint8Array {
  const { count, rows, cols, labels, pixels } = set;
  if (labels.length !== count || pixels.length !== count * rows * cols) {
    throw new Error(`packImageSet: 'set' must hold ${count} labels and ${count * rows * cols} pixels, got ${labels.length} and ${pixels.length}.`);
  }
  const out = new Uint8Array(HEADER + count + pixels.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, count, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, cols, true);
  out.set(labels, HEADER);
  out.set(pixels, HEADER + count);
  return out;
}

/**
 * Reads bytes written by `packImageSet`; the arrays are views into `bytes`.
 *
 * @example
 * const set = unpackImageSet(await loadBytes('data/mnist.bin'));
 * set.count; // 10000
 */
export function unpackImageSet(bytes: Uint8Array): ImageSet {
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error(`unpackImageSet: 'bytes' must start with 'VNIS', got a file that does not (wrong URL or an HTML error page?).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const rows = view.getUint32(8, true);
  const cols = view.getUint32(12, true);
  const need = HEADER + count + count * rows * cols;
  if (bytes.length !== need) throw new Error(`unpackImageSet: 'bytes' must be ${need} bytes long for ${count} images of ${rows}x${cols}, got ${bytes.length}.`);
  return {
    count,
    rows,
    cols,
    labels: bytes.subarray(HEADER, HEADER + count),
    pixels: bytes.subarray(HEADER + count, need),
  };
}
