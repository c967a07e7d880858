export type { CocoAnnotation, CocoCategory, CocoDetection, CocoGroundTruth, CocoImage } from './coco-format';
export {
  evaluateCoco,
  COCO_AREA_RANGES,
  COCO_IOU_THRESHOLDS,
  COCO_MAX_DETS,
  COCO_RECALL_THRESHOLDS,
  type CocoCategoryResult,
  type CocoEvalOptions,
  type CocoEvalResult,
  type CocoStats,
} from './coco-eval';
export { evaluateVoc, type VocCategoryResult, type VocEvalOptions, type VocEvalResult } from './voc-eval';
export { apFromPrecisionRecall, VOC_INTERPOLATIONS, type VocInterpolation } from './voc-ap';
