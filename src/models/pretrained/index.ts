// Real pretrained COCO detectors (CenterNet, NanoDet) on real photos; see docs/api/pretrained.md.
export { loadDetector, DETECTOR_NAMES } from './load-detector';
export { COCO_LABELS, NUM_COCO_CLASSES } from './coco-labels';
export { toImageTensor, MAX_IMAGE_SIDE, type ImageInput, type PixelData, type ImageTensor } from './image-input';
export {
  letterbox,
  letterboxTransform,
  unletterboxBox,
  withPrescale,
  type Box,
  type LetterboxTransform,
} from './letterbox';
export { loadGraph, siteModelUrl, type PretrainedModelName } from './load-graph';
export type {
  Detection,
  DetectOptions,
  LoadDetectorOptions,
  Detector,
  CenterNetDetector,
  NanoDetDetector,
  CenterNetRaw,
  NanoDetRaw,
} from './types';
export { LESSON_PHOTOS, type LessonPhoto } from './photos';
