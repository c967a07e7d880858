/**
 * Layers and blocks the model zoo is built from (cells see it as `nn`).
 * Each layer or block is one file; custom tf.layers register themselves for
 * serialization when their file is imported.
 */
export { profile, layerMacs, type LayerProfile, type ModelProfile, type CountsMacs } from './profile';
export { convBnAct, type ConvBnActOptions } from './conv-bn-act';
export { vggBlock, type VggBlockOptions } from './vgg-block';
export { inceptionModule, type InceptionModuleOptions } from './inception-module';
export { basicBlock, type BasicBlockOptions } from './basic-block';
export { bottleneckBlock, type BottleneckBlockOptions } from './bottleneck-block';
export { squeezeExcite, type SqueezeExciteOptions } from './squeeze-excite';
export { mbConv, makeDivisible, type MbConvOptions } from './mbconv';
export { StochasticDepth, type StochasticDepthArgs } from './stochastic-depth';
export { AdaptiveAvgPool2d, type AdaptiveAvgPoolArgs } from './adaptive-avg-pool';
export { ACTIVATIONS, type ActivationName } from './activation';
export * as swin from './swin';
