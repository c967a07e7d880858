/**
 * The models front file: one room per role. Cells see it as `models` (and
 * `vn.models`); the pretrained detectors also as `pretrained`.
 * - `backbones/`: image → logits or stage maps (`buildBackbone`, `listBackbones`, the small classifiers)
 * - `necks/`: stage maps → pyramid levels (`buildNeck`)
 * - `heads/`: pyramid levels → raw per-location predictions (`buildHead`)
 * - `detectors/`: trainable detectors assembled from the three (`listDetectors`)
 * - `pretrained/`: converted COCO detectors (`loadDetector`)
 */
export * from './backbones/index';
export { buildNeck, type NeckEntry, type NeckOptions } from './necks/index';
export { buildHead, buildRoiHead, type HeadEntry, type HeadOptions, type RoiHeadEntry, type RoiHeadOptions } from './heads/index';
export { listDetectors, createFasterRcnn, FasterRcnn, type DetectorEntry, type FasterRcnnConfig } from './detectors/index';
export {
  SCENE_DETECTORS, SCENE_BENCHMARK, loadSceneDetector, listSceneDetectors, evaluateSceneDetector, benchmarkScenes, detectorToFiles, loadDetectorWeights, saveDetectorToDir, type TrainableDetector, type SceneDetector, type SceneBenchmarkResult,
} from './detectors/index';
export * as proposals from './proposals/index';
export * as pretrained from './pretrained/index';
export { Rcnn, createRcnn, FastRcnn, createFastRcnn, ROI_POOLERS, SCENE_SELECTIVE_SEARCH, roiGrids, type RcnnConfig, type FastRcnnConfig, type RoiPooler, type RoiGrids } from './detectors/index';
export { CascadeRcnn, createCascadeRcnn, createSceneCascadeRcnn, CASCADE_STAGES, CASCADE_SCENE, apByIou, evaluateOnScenes, type CascadeStage, type CascadeRcnnConfig, type CascadeOutput, type StageOutputs } from './detectors/index';
export { labelAnchors, filterProposals } from './detectors/index';
export { REGION_DETECTORS, loadRegionDetector, listRegionDetectors } from './detectors/index';
export * as ssl from './ssl/index';
