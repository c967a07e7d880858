export * from './boxes';
export * from './pr-curve';
export * from './detections';
export * from './heatmap';
export * from './webcam';
