import type * as tf from '@tensorflow/tfjs';
import { batchedNms } from '../../core/index';
import { checkDetectOptions } from './check-options';
import { COCO_LABELS } from './coco-labels';
import { toImageTensor, type ImageInput } from './image-input';
import { letterbox, unletterboxBox, withPrescale, type LetterboxTransform } from './letterbox';
import type { Candidates, Detection, DetectOptions, Detector } from './types';

/** What each model adds to the shared photo → boxes pipeline. */
export interface ModelHead<Raw> {
  name: string;
  inputSize: number;
  /** Value the letterbox pads with, in 0-255 RGB. */
  padValue: number;
  /** Letterboxed `[S, S, 3]` RGB 0-255 → boxes in input pixels scoring at least `scoreThreshold`. */
  candidates(input: tf.Tensor3D, scoreThreshold: number): Promise<Candidates>;
  /** Letterboxed input → score maps (the transform is added by the caller). */
  raw(input: tf.Tensor3D): Omit<Raw, 'transform'>;
  dispose(): void;
}

/**
 * Wraps a model head into a `Detector`: checks the image and options, letterboxes,
 * runs the head, suppresses overlapping boxes class by class, and maps boxes
 * back to the photo's pixels. No tensor outlives a call except `raw`'s result.
 *
 * @example
 * const detector = makeDetector(centerNetHead(model, 512));
 * const found = await detector.detect(photo, { scoreThreshold: 0.4 });
 */
export function makeDetector<Raw extends { transform: LetterboxTransform }>(head: ModelHead<Raw>): Detector<Raw> {
  let disposed = false;
  const alive = (op: string) => {
    if (disposed) throw new Error(`${op}: this ${head.name} detector was disposed; load a new one with loadDetector('${head.name}').`);
  };

  function prepare(op: string, image: ImageInput, onNotice?: (m: string) => void) {
    const img = toImageTensor(op, 'image', image);
    if (img.notice) onNotice?.(img.notice);
    try {
      const { input, transform } = letterbox(img.pixels, head.inputSize, head.padValue);
      return { input, transform: withPrescale(transform, img.scale, img.width, img.height) };
    } finally {
      img.pixels.dispose();
    }
  }

  return {
    name: head.name,
    inputSize: head.inputSize,
    padValue: head.padValue,

    async detect(image: ImageInput, options?: DetectOptions): Promise<Detection[]> {
      alive('detect');
      const o = checkDetectOptions(options);
      const { input, transform } = prepare('detect', image, o.onNotice);
      let c: Candidates;
      try {
        c = await head.candidates(input, o.scoreThreshold);
      } finally {
        input.dispose();
      }
      const keep = c.boxes.length === 0 ? [] : await batchedNms(c.boxes, c.scores, c.classIds, o.iouThreshold);
      const out: Detection[] = [];
      for (const i of keep) {
        const box = unletterboxBox(c.boxes[i], transform);
        // a box wholly in the padding clips to nothing
        if (box[2] <= box[0] || box[3] <= box[1]) continue;
        out.push({ box, score: c.scores[i], classId: c.classIds[i], label: COCO_LABELS[c.classIds[i]] });
        if (out.length === o.maxDetections) break;
      }
      return out;
    },

    async raw(image: ImageInput): Promise<Raw> {
      alive('raw');
      const { input, transform } = prepare('raw', image, (m) => console.warn(m));
      try {
        return { ...head.raw(input), transform } as Raw;
      } finally {
        input.dispose();
      }
    },

    dispose() {
      if (!disposed) head.dispose();
      disposed = true;
    },
  };
}
