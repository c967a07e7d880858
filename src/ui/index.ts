export { liveTraining, type LiveTrainingOptions, type StepMetrics, type TrainingPanel } from './training-panel';
