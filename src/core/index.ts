// The detection core: box math, NMS, anchors, matching, losses, assignment;
// RoI ops and evaluation live in their own rooms and are re-exported here.
export * from './value-checks';
export { type BoxesLike } from './box-input';
export * from './box-area';
export * from './box-convert';
export * from './box-iou';
export * from './roi/index';
export * from './eval/index';
export * from './nms';
export * from './batched-nms';
export * from './soft-nms';
export * from './nms-steps';
export { type ScoresLike } from './nms-input';
export * from './anchors';
export * from './grid-anchors';
export * from './box-coder';
