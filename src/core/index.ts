// The detection core: box math, NMS, anchors, matching, losses and assignment
// (this folder), plus RoI ops and evaluation from their own rooms.
// Named one by one, not `export *`: cells see this module as `core`, so a helper
// exported for a sibling file would otherwise become public API by accident.
export { setValueChecks } from './shared/value-checks';
export { type BoxesLike } from './boxes/box-input';
export { boxArea } from './boxes/box-area';
export { boxConvert, type BoxFormat } from './boxes/box-convert';
export { boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou } from './boxes/box-iou';
export { nms, type NmsOptions } from './nms/nms';
export { batchedNms } from './nms/batched-nms';
export { softNms, type SoftNmsOptions, type SoftNmsResult } from './nms/soft-nms';
export { nmsSteps, type NmsStep } from './nms/nms-steps';
export { type ScoresLike } from './nms/nms-input';
export { generateAnchors, cellAnchors, type AnchorOptions } from './anchors/anchors';
export { gridAnchors, type GridAnchorOptions } from './anchors/grid-anchors';
export { encodeBoxes, decodeBoxes, BBOX_XFORM_CLIP, type BoxCoderWeights } from './boxes/box-coder';
export { matchByIou, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, type MatchOptions } from './assign/matcher';
export { sampleBalanced, labelsFromMatches, type SamplerOptions, type SampledIndices } from './assign/sampler';
export { seededRandom } from '../util/random';
export { type Reduction } from './losses/reduction';
export { sigmoidFocalLoss, type FocalLossOptions } from './losses/focal-loss';
export { smoothL1Loss, type SmoothL1Options } from './losses/smooth-l1-loss';
export { giouLoss, type GiouLossOptions } from './losses/giou-loss';
export { crossEntropy, type CrossEntropyOptions } from './losses/cross-entropy';
export { linearSumAssignment, type Assignment, type AssignmentOptions } from './assign/linear-sum-assignment';
export { roiAlign, roiPool, type RoiAlignOptions, type RoiPoolOptions } from './roi/index';
export { deformConv2d, type DeformConv2dOptions } from './deform/index';
export {
  evaluateCoco,
  evaluateVoc,
  apFromPrecisionRecall,
  COCO_AREA_RANGES,
  COCO_IOU_THRESHOLDS,
  COCO_MAX_DETS,
  COCO_RECALL_THRESHOLDS,
  type CocoAnnotation,
  type CocoCategory,
  type CocoCategoryResult,
  type CocoDetection,
  type CocoEvalOptions,
  type CocoEvalResult,
  type CocoGroundTruth,
  type CocoImage,
  type CocoStats,
  type VocCategoryResult,
  type VocEvalOptions,
  type VocEvalResult,
  type VocInterpolation,
} from './eval/index';
