import * as tf from '@tensorflow/tfjs';
import { AdaptiveAvgPool2d } from '../../nn/adaptive-avg-pool';
import { convBnAct } from '../../nn/conv-bn-act';
import { denseInit } from '../../nn/init';
import { blockSeed, finish, stage, type BackboneConfig, type BackboneSpec } from './common';

/**
 * AlexNet as torchvision's alexnet.py builds it: the 64-192-384-256-256
 * variant of Krizhevsky's "One weird trick" paper (arXiv:1404.5997), not
 * the 2012 96-256-384-384-256 one: conv 11x11/4 pad 2, 5x5 pad 2, three 3x3,
 * ReLU after each (no BN: it predates it), 3x3/2 max-pools, adaptive average
 * pool to 6x6, then dropout 0.5 - 4096 - ReLU - dropout - 4096 - ReLU - classes.
 * The flatten is channels-last (HWC), torch's is CHW: the same weights
 * permuted, so the count is the same. Stage maps: C2 conv1 (55x55, stride ~4),
 * C3 conv2 (27), C4 conv5 (13), C5 the last pool (6).
 */
export function buildAlexNet(cfg: BackboneConfig): tf.LayersModel {
  const input = tf.input({ shape: cfg.inputShape, name: 'input' });
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, padding: number, k: number) =>
    convBnAct(x, { filters, kernelSize, strides, padding, batchNorm: false, useBias: true, name: `conv${k}`, seed: blockSeed(cfg, k) });
  const pool = (x: tf.SymbolicTensor, k: number) => tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: `pool${k}` }).apply(x) as tf.SymbolicTensor;
  const c2 = stage(conv(input, 64, 11, 4, 2, 1), 2);
  const c3 = stage(conv(pool(c2, 1), 192, 5, 1, 2, 2), 3);
  let x = conv(pool(c3, 2), 384, 3, 1, 1, 3);
  x = conv(x, 256, 3, 1, 1, 4);
  const c4 = stage(conv(x, 256, 3, 1, 1, 5), 4);
  const c5 = stage(pool(c4, 3), 5);
  return finish('alexnet', input, cfg, [c2, c3, c4, c5], () => {
    let h = new AdaptiveAvgPool2d({ outputSize: 6, name: 'avgpool' }).apply(c5) as tf.SymbolicTensor;
    h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
    return fcHead(h, cfg, [4096, 4096], 0.5, 'dropout_first');
  });
}

/**
 * The classifier of AlexNet and VGG: Dense+ReLU per hidden size with dropout,
 * then the logits. AlexNet puts each dropout before its Dense
 * ('dropout_first'), VGG after each ReLU ('dropout_after').
 */
export function fcHead(x: tf.SymbolicTensor, cfg: BackboneConfig, hidden: number[], rate: number, order: 'dropout_first' | 'dropout_after'): tf.SymbolicTensor {
  let h = x;
  hidden.forEach((units, i) => {
    if (order === 'dropout_first') h = tf.layers.dropout({ rate, name: `dropout${i + 1}` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.dense({ units, activation: 'relu', kernelInitializer: denseInit(blockSeed(cfg, 900 + i)), name: `fc${i + 1}` }).apply(h) as tf.SymbolicTensor;
    if (order === 'dropout_after') h = tf.layers.dropout({ rate, name: `dropout${i + 1}` }).apply(h) as tf.SymbolicTensor;
  });
  return tf.layers.dense({ units: cfg.numClasses, kernelInitializer: denseInit(blockSeed(cfg, 999)), name: 'fc' }).apply(h) as tf.SymbolicTensor;
}

// torchvision AlexNet_Weights.IMAGENET1K_V1: num_params 61,100,840, _ops 0.714, min_size 63.
export const alexnetSpecs: BackboneSpec[] = [{
  name: 'alexnet', family: 'alexnet',
  reference: 'Krizhevsky 2014, One weird trick (arXiv:1404.5997), the 2012 AlexNet (NeurIPS) in torchvision models/alexnet.py',
  torchvisionParams: 61_100_840, torchvisionGmacs: 0.714,
  defaults: { inputShape: [224, 224, 3], numClasses: 1000 }, minInputSize: 63, knobs: [], hasFeatures: true, build: buildAlexNet,
}];
