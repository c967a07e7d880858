import type * as tf from '@tensorflow/tfjs';
import type { ImageInput } from './image-input';
import type { Box, LetterboxTransform } from './letterbox';

/** One detected object; `box` is `[x1, y1, x2, y2]` in the pixels of the image given to `detect`. */
export interface Detection {
  box: Box;
  score: number;
  /** COCO-80 class index, 0-79. */
  classId: number;
  /** `COCO_LABELS[classId]`. */
  label: string;
}

export interface DetectOptions {
  /** Keep detections scoring at least this, in [0, 1]. Default 0.3. */
  scoreThreshold?: number;
  /** Of two boxes of one class overlapping by more than this IoU, in [0, 1], only the higher scoring stays (`batchedNms` from the core, as torchvision). Default 0.5. */
  iouThreshold?: number;
  /** At most this many detections, 1-1000. Default 100. */
  maxDetections?: number;
  /** Told when the image had to be downscaled; default `console.warn`. */
  onNotice?: (message: string) => void;
}

export interface LoadDetectorOptions {
  /** Where model.json is (browser: a URL; Node: a URL or file path). Default: the site's own copy / the package's. */
  modelUrl?: string;
  /** Side of the square model input. The shipped graphs are fixed: CenterNet 512, NanoDet 416; any other value is an error. */
  inputSize?: number;
}

/** CenterNet's class heatmap before decoding: sigmoid scores per class at every cell. */
export interface CenterNetRaw {
  /** `[h, w, 80]`, cell (i, j) centred at ((j + 0.5) * stride, (i + 0.5) * stride) in model-input pixels. The caller disposes it. */
  heatmap: tf.Tensor3D;
  stride: number;
  /** Maps model-input pixels to the photo's pixels (see `unletterboxBox`). */
  transform: LetterboxTransform;
}

/** NanoDet's class score maps, one a stride (8, 16, 32), before decoding. */
export interface NanoDetRaw {
  /** Each `scores` is `[h, w, 80]` sigmoid scores; the caller disposes them. */
  levels: Array<{ stride: number; scores: tf.Tensor3D }>;
  transform: LetterboxTransform;
}

export interface Detector<Raw> {
  readonly name: string;
  /** Side of the square input the model sees. */
  readonly inputSize: number;
  /** The value (0-255, every RGB channel) its letterbox pads the photo with, for detectors that letterbox. */
  readonly padValue?: number;
  /** Detects objects; boxes are in the pixels of `image`, best score first. */
  detect(image: ImageInput, options?: DetectOptions): Promise<Detection[]>;
  /** The model's score maps before decoding, for lessons. */
  raw(image: ImageInput): Promise<Raw>;
  /** Frees the model's weights; the detector cannot be used afterwards. */
  dispose(): void;
}

export type CenterNetDetector = Detector<CenterNetRaw>;
export type NanoDetDetector = Detector<NanoDetRaw>;

/** Boxes found by a model head before suppression, in model-input pixels. */
export interface Candidates {
  boxes: Box[];
  scores: number[];
  classIds: number[];
}
