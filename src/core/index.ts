// The detection core: box math, NMS, anchors, matching, losses, assignment;
// RoI ops and evaluation live in their own rooms and are re-exported here.
export * from './value-checks';
export { type BoxesLike } from './box-input';
export * from './box-area';
export * from './box-convert';
export * from './box-iou';
export * from './roi/index';
export * from './eval/index';
