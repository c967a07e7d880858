import * as tf from '@tensorflow/tfjs';
import { convBnAct } from '../../nn/conv-bn-act';
import { denseInit } from '../../nn/init';
import { blockSeed, finish, stage, width, type BackboneConfig, type BackboneSpec } from './common';

/**
 * The small CNN of Lesson 3's CNN-vs-ViT experiment: three stages of
 * 3x3 conv-BN-ReLU (2, 2, 1 convs at 32, 64, 128 channels, times
 * widthMultiplier) with 2x2 max-pools between (28 -> 14 -> 7), global average
 * pool, Dense. Its locality and weight sharing are the inductive bias a ViT lacks.
 * With `features: true` it returns the three stage maps, named by stride:
 * C0 (stride 1), C1 (stride 2), C2 (stride 4).
 */
export function buildCnnTiny(cfg: BackboneConfig): tf.LayersModel {
  const input = tf.input({ shape: cfg.inputShape, name: 'input' });
  const plan = [[32, 32], [64, 64], [128]];
  let x = input;
  let k = 0;
  const stages: tf.SymbolicTensor[] = [];
  plan.forEach((convs, s) => {
    if (s > 0) x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool${s}` }).apply(x) as tf.SymbolicTensor;
    convs.forEach((f, i) => {
      x = convBnAct(x, { filters: width(f, cfg), kernelSize: 3, padding: 1, name: `conv${s + 1}_${i + 1}`, seed: blockSeed(cfg, k++) });
    });
    // Marked only for features: the classifier keeps the layer list its shipped weights were saved with.
    if (cfg.features) x = stage(x, s);
    stages.push(x);
  });
  return finish('cnn_tiny', input, cfg, stages, () => {
    const pooled = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.dense({ units: cfg.numClasses, kernelInitializer: denseInit(blockSeed(cfg, 999)), name: 'fc' }).apply(pooled) as tf.SymbolicTensor;
  });
}

export const cnnTinySpecs: BackboneSpec[] = [
  {
    name: 'cnn_tiny', family: 'small cnn', reference: 'course model: conv-BN-ReLU stages (Lesson 3, CNN vs ViT on digits)',
    defaults: { inputShape: [28, 28, 1], numClasses: 10 }, minInputSize: 4, knobs: ['widthMultiplier'], hasFeatures: true, build: buildCnnTiny,
  },
];
