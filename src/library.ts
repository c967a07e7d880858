/**
 * The course library as one namespace: what every cell sees as `vn` (and
 * each room by its own name: `core`, `data`, `train`, `models`, `pretrained`, `explain`).
 * Lessons reach the library only through this file.
 */
export * as core from './core/index';
export * as data from './data/index';
export * as train from './train/index';
export * as models from './models/index';
export * as nn from './nn/index';
export * as pretrained from './models/pretrained/index';
export * as backend from './backend';
export * as ui from './ui/index';
export * as viz from './viz/index';
export * as explain from './explain/index';
