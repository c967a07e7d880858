export { CascadeRcnn, createCascadeRcnn, CASCADE_STAGES, type CascadeStage, type CascadeRcnnConfig, type CascadeDetectOptions, type CascadeOutput, type StageOutputs } from './cascade-rcnn';
export { regressByClass, bestForegroundClass } from './refine';
export { apByIou } from './ap-by-iou';
export { evaluateOnScenes } from './evaluate';
export { stageTargets, nextStageProposals, type StageRoi, type StageTargets } from './stage-targets';
export { CASCADE_SCENE, createSceneCascadeRcnn } from './scene-cascade';
