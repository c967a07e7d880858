import { createRegistry } from '../../util/registry';
import { createCascadeRcnn, type CascadeRcnnConfig } from './cascade-rcnn/index';
import { createFasterRcnn, type FasterRcnnConfig } from './faster-rcnn';

/**
 * Trainable detectors, assembled from a backbone, a neck and a head (the
 * converted pretrained ones live in `../pretrained`), with losses built from
 * `core` (anchors, matcher, sampler, box coder, losses, RoIAlign, NMS).
 *
 * Contract: a detector family is one file (or folder) here exporting its
 * builder; it joins by one `DETECTORS.register(name, entry)` line below.
 * `build(options)` returns the family's own detector object (model, loss,
 * decode to `{box, score, classId}` detections); the registry names the
 * families so a lesson or a bench can pick and list them without
 * hand-written lists.
 */
export interface DetectorEntry {
  /** The paper the family follows. */
  reference: string;
  kind: 'one-stage' | 'two-stage' | 'set-prediction';
  build(options: Record<string, unknown>): unknown;
}

export const DETECTORS = createRegistry<DetectorEntry>('buildDetector', 'name');

DETECTORS.register('faster-rcnn', {
  reference: 'Ren et al., Faster R-CNN, NeurIPS 2015, with FPN (Lin et al., CVPR 2017), as torchvision fasterrcnn_resnet50_fpn',
  kind: 'two-stage',
  build: (options) => createFasterRcnn(options as unknown as FasterRcnnConfig),
});

DETECTORS.register('cascade-rcnn', {
  reference: 'Cai & Vasconcelos, Cascade R-CNN, CVPR 2018 (mmdetection cascade_rcnn_r50_fpn: IoU 0.5/0.6/0.7, loss weights 1/0.5/0.25)',
  kind: 'two-stage',
  build: (options) => createCascadeRcnn(options as unknown as CascadeRcnnConfig),
});

/** Every registered trainable detector family: name, kind and reference. */
export function listDetectors(): { name: string; kind: DetectorEntry['kind']; reference: string }[] {
  return DETECTORS.entries().map(([name, { kind, reference }]) => ({ name, kind, reference }));
}

export { FasterRcnn, createFasterRcnn, type FasterRcnnConfig, type RpnConfig, type RoiConfig, type DetectionBatch, type LossTerms } from './faster-rcnn';
export * from './cascade-rcnn/index';
export { mapLevels, canonicalScaleFor, type LevelMapperOptions } from './level-mapper';
export { multiScaleRoiAlign, type MultiScaleRoiAlignOptions } from './multi-scale-roi-align';
export { sampleRoiTargets, roiHeadLoss, postprocessDetections, ROI_BOX_WEIGHTS, type RoiSample, type RoiSampleOptions, type PostprocessOptions, type RawDetections } from './roi-head';
export { labelAnchors, sampleTargets, rpnLoss, filterProposals, type AnchorLabels, type Proposals, type ProposalOptions } from './rpn/index';
export { type SceneImage } from './scene-input';
export { type TrainableDetector, type SceneDetector } from './types';
export { SCENE_DETECTORS, FASTER_RCNN_SCENE, createSceneFasterRcnn, listSceneDetectors, loadSceneDetector, type SceneDetectorEntry } from './scene-detectors';
export { SCENE_BENCHMARK, SCENE_BENCHMARK_DETECT, benchmarkScenes, evaluateSceneDetector, type SceneBenchmarkResult, type EvaluateSceneOptions } from './scene-benchmark';
export { DETECTOR_FORMAT, detectorToFiles, loadDetectorWeights, loadSiteDetectorWeights, saveDetectorToDir, type DetectorFiles } from './detector-weights';
export { Rcnn, createRcnn, type RcnnConfig, type RcnnAnalysis, type RcnnTiming } from './rcnn';
export { FastRcnn, createFastRcnn, ROI_POOLERS, type FastRcnnConfig, type FastRcnnAnalysis, type FastRcnnTiming, type RoiPooler } from './fast-rcnn';
export { SCENE_SELECTIVE_SEARCH, type RegionBatch, type RegionSampleConfig } from './rcnn-regions';
export { roiGrids, type RoiGrids, type RoiGridOptions, type CellRect } from './fast-rcnn-quantisation';
export { REGION_DETECTORS, loadRegionDetector, listRegionDetectors, type RegionDetectorEntry } from './rcnn-shipped';
