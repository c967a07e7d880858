// The detection core: box math, NMS, anchors, matching, losses and assignment
// (this folder), plus RoI ops and evaluation from their own rooms.
export * from './value-checks';
export { type BoxesLike } from './box-input';
export * from './box-area';
export * from './box-convert';
export * from './box-iou';
export * from './nms';
export * from './batched-nms';
export * from './soft-nms';
export * from './nms-steps';
export { type ScoresLike } from './nms-input';
export * from './anchors';
export * from './grid-anchors';
export * from './box-coder';
export * from './matcher';
export * from './sampler';
export * from './random';
export * from './reduction';
export * from './focal-loss';
export * from './smooth-l1-loss';
export * from './giou-loss';
export * from './cross-entropy';
export * from './linear-sum-assignment';
export * from './roi/index';
export * from './eval/index';
