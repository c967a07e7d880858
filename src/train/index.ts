/** The training loop: batches in, progress events out, cancel, periodic evaluation, save/load. */
export { fit, train, type FitOptions, type FitResult, type ProgressEvent, type StepFn, type StepOutput } from './fit';
export { liveSteps, type LiveMetrics, type LiveStepFn } from './live';
export { makeOptimizer, setLearningRate, type OptimizerName, type OptimizerSpec } from './optimizers';
export { makeSchedule, type Schedule, type ScheduleSpec } from './schedules';
export { evaluateAccuracy } from './evaluate';
export { loadModelFromDir, loadSiteModel, modelFromFiles, modelToFiles, saveModelToDir, type SavedModelFiles } from './io';
export { SCENE_TRAINING, trainSceneDetector, trainingSceneBatches, type TrainSceneDetectorOptions, type TrainingScenesOptions } from './scene-detector';
export { scalingRun, fitPowerLaw, type ScalingRunOptions, type ScalingPoint } from './scaling';
export * as experiments from './experiments/index';
