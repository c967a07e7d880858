export { deformConv2d } from './deform-conv2d';
export { type DeformConv2dOptions } from './deform-args';
