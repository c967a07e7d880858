// Real pretrained COCO detectors (CenterNet, NanoDet) on real photos; see docs/api/pretrained.md.
export { loadDetector, DETECTOR_NAMES } from './pretrained/load-detector';
export { COCO_LABELS, NUM_COCO_CLASSES } from './pretrained/coco-labels';
export { toImageTensor, MAX_IMAGE_SIDE, type ImageInput, type PixelData, type ImageTensor } from './pretrained/image-input';
export {
  letterbox,
  letterboxTransform,
  unletterboxBox,
  withPrescale,
  type Box,
  type LetterboxTransform,
} from './pretrained/letterbox';
export { loadGraph, siteModelUrl, type PretrainedModelName } from './pretrained/load-graph';
export type {
  Detection,
  DetectOptions,
  LoadDetectorOptions,
  Detector,
  CenterNetDetector,
  NanoDetDetector,
  CenterNetRaw,
  NanoDetRaw,
} from './pretrained/types';
export { LESSON_PHOTOS, type LessonPhoto } from './pretrained/photos';
