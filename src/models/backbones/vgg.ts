import * as tf from '@tensorflow/tfjs';
import { AdaptiveAvgPool2d } from '../../nn/adaptive-avg-pool';
import { vggBlock } from '../../nn/vgg-block';
import { fcHead } from './alexnet';
import { blockSeed, finish, stage, type BackboneConfig, type BackboneSpec } from './common';

/**
 * VGG (Simonyan & Zisserman 2014) as torchvision's vgg.py, without BN (its
 * vgg11 / vgg16 defaults): five stages of 3x3 convs (bias, ReLU) and 2x2
 * max-pools, configurations A (vgg11: 1-1-2-2-2 convs) and D (vgg16: 2-2-3-3-3)
 * at 64-128-256-512-512 channels, adaptive average pool to 7x7, then
 * 4096-ReLU-dropout-4096-ReLU-dropout-classes. Stage maps: C2..C4 the
 * stride-4..16 conv outputs before their pools (stages 3-5), C5 the last pool.
 */
const CONVS = { vgg11: [1, 1, 2, 2, 2], vgg16: [2, 2, 3, 3, 3] } as const;
const WIDTHS = [64, 128, 256, 512, 512];

export function buildVgg(name: 'vgg11' | 'vgg16', cfg: BackboneConfig): tf.LayersModel {
  const input = tf.input({ shape: cfg.inputShape, name: 'input' });
  let x = input;
  const stages: tf.SymbolicTensor[] = [];
  CONVS[name].forEach((convs, s) => {
    x = vggBlock(x, { convs, filters: WIDTHS[s], pool: false, name: `block${s + 1}`, seed: blockSeed(cfg, s + 1) });
    if (s >= 2) stages.push((x = stage(x, s as 2 | 3 | 4)));
    x = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${s + 1}_pool` }).apply(x) as tf.SymbolicTensor;
  });
  stages.push((x = stage(x, 5)));
  return finish(name, input, cfg, stages, () => {
    let h = new AdaptiveAvgPool2d({ outputSize: 7, name: 'avgpool' }).apply(x) as tf.SymbolicTensor;
    h = tf.layers.flatten({ name: 'flatten' }).apply(h) as tf.SymbolicTensor;
    return fcHead(h, cfg, [4096, 4096], 0.5, 'dropout_after');
  });
}

const REF = 'Simonyan & Zisserman 2014, Very Deep Convolutional Networks (arXiv:1409.1556); torchvision models/vgg.py';
const common = { family: 'vgg', reference: REF, defaults: { inputShape: [224, 224, 3] as [number, number, number], numClasses: 1000 }, minInputSize: 32, knobs: [] as const, hasFeatures: true };
// torchvision VGG11_Weights / VGG16_Weights.IMAGENET1K_V1: 132,863,336 and 138,357,544 params, _ops 7.609 and 15.47.
export const vggSpecs: BackboneSpec[] = [
  { name: 'vgg11', ...common, torchvisionParams: 132_863_336, torchvisionGmacs: 7.609, build: (c) => buildVgg('vgg11', c) },
  { name: 'vgg16', ...common, torchvisionParams: 138_357_544, torchvisionGmacs: 15.47, build: (c) => buildVgg('vgg16', c) },
];
