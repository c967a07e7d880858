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
export { DeformConv2D, type DeformConv2DArgs } from './deform-conv';
export { deformDigitNet, type DeformDigitNetOptions } from './deform-conv-net';
export { ACTIVATIONS, type ActivationName } from './activation';
export * as swin from './swin';
export { LayerNorm } from './layer-norm';
export { scaledDotProductAttention, type AttentionOptions } from './scaled-dot-product-attention';
export { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention';
export { PatchEmbedding, type PatchEmbeddingArgs } from './patch-embedding';
export { ClassToken } from './class-token';
export { PositionEmbedding, type PositionEmbeddingArgs } from './position-embedding';
export { sinusoidalPositionEmbedding, sinusoidalTable } from './sinusoidal-position-embedding';
export { LayerScale } from './layer-scale';
export { TakeToken } from './take-token';
export { TokenGrid } from './token-grid';
export { transformerEncoderBlock, type TransformerEncoderBlockOptions } from './transformer-encoder-block';
export { attentionRollout } from './attention-rollout';
