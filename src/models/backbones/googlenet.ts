import * as tf from '@tensorflow/tfjs';
import { AdaptiveAvgPool2d } from '../../nn/adaptive-avg-pool';
import { convBnAct } from '../../nn/conv-bn-act';
import { inceptionModule, type InceptionModuleOptions } from '../../nn/inception-module';
import { denseInit } from '../../nn/init';
import { blockSeed, finish, stage, type BackboneConfig, type BackboneSpec } from './common';

type Widths = Omit<InceptionModuleOptions, 'name' | 'seed' | 'fiveByFiveKernel' | 'batchNorm'>;
const w = (c1: number, c3reduce: number, c3: number, c5reduce: number, c5: number, poolProj: number): Widths => ({ c1, c3reduce, c3, c5reduce, c5, poolProj });
// torchvision googlenet.py's Inception(...) arguments, input channels left out (they follow).
const MODULES: Record<string, Widths> = {
  '3a': w(64, 96, 128, 16, 32, 32), '3b': w(128, 128, 192, 32, 96, 64),
  '4a': w(192, 96, 208, 16, 48, 64), '4b': w(160, 112, 224, 24, 64, 64), '4c': w(128, 128, 256, 24, 64, 64),
  '4d': w(112, 144, 288, 32, 64, 64), '4e': w(256, 160, 320, 32, 128, 128),
  '5a': w(256, 160, 320, 32, 128, 128), '5b': w(384, 192, 384, 48, 128, 128),
};

/**
 * torch's MaxPool2d(k, s, ceil_mode=True) without padding: output
 * ceil((n - k) / s) + 1, the last window hanging over the edge. Padding the
 * bottom/right with zeros and pooling 'valid' is the same on non-negative
 * maps (every GoogLeNet pool follows a ReLU), for odd sizes too where TF's
 * 'same' would differ.
 */
function ceilMaxPool(x: tf.SymbolicTensor, k: number, s: number, name: string): tf.SymbolicTensor {
  const pad = (n: number) => {
    let out = Math.ceil((n - k) / s) + 1;
    if ((out - 1) * s >= n) out--; // torch drops a window that would start past the input
    return Math.max(0, (out - 1) * s + k - n);
  };
  const [ph, pw] = [pad(x.shape[1] as number), pad(x.shape[2] as number)];
  let y = x;
  if (ph > 0 || pw > 0) y = tf.layers.zeroPadding2d({ padding: [[0, ph], [0, pw]], name: `${name}_pad` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.maxPooling2d({ poolSize: k, strides: s, padding: 'valid', name }).apply(y) as tf.SymbolicTensor;
}

/** torchvision's InceptionAux: adaptive pool to 4x4, 1x1 conv to 128 (BN, ReLU), Dense 1024 + ReLU, dropout 0.7, Dense classes. */
function auxHead(x: tf.SymbolicTensor, cfg: BackboneConfig, name: string, k: number): tf.SymbolicTensor {
  let h = new AdaptiveAvgPool2d({ outputSize: 4, name: `${name}_pool` }).apply(x) as tf.SymbolicTensor;
  h = convBnAct(h, { filters: 128, kernelSize: 1, padding: 0, bnEpsilon: 1e-3, name: `${name}_conv`, seed: blockSeed(cfg, k) });
  h = tf.layers.flatten({ name: `${name}_flatten` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 1024, activation: 'relu', kernelInitializer: denseInit(blockSeed(cfg, k) + 1), name: `${name}_fc1` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.7, name: `${name}_dropout` }).apply(h) as tf.SymbolicTensor;
  return tf.layers.dense({ units: cfg.numClasses, kernelInitializer: denseInit(blockSeed(cfg, k) + 2), name: `${name}_fc2` }).apply(h) as tf.SymbolicTensor;
}

/**
 * GoogLeNet (Szegedy et al. 2014) as torchvision's googlenet.py: BN conv
 * blocks (eps 1e-3), the stem 7x7/2 - pool - 1x1 - 3x3 - pool, nine inception
 * modules with ceil-mode max-pools after 3b and 4e, global average pool,
 * dropout 0.2, Dense. With `auxLogits: true` the two auxiliary classifiers on
 * 4a and 4d are added and the model outputs [logits, aux1, aux2] (the paper
 * weights each aux loss 0.3 while training). Stage maps: C2 the stem's 3x3
 * output (56x56), C3 3b (28), C4 4e (14), C5 5b (7).
 */
export function buildGoogLeNet(cfg: BackboneConfig): tf.LayersModel {
  const input = tf.input({ shape: cfg.inputShape, name: 'input' });
  const cba = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, padding: number, name: string, k: number) =>
    convBnAct(x, { filters, kernelSize, strides, padding, bnEpsilon: 1e-3, name, seed: blockSeed(cfg, k) });
  let x = cba(input, 64, 7, 2, 3, 'conv1', 1);
  x = ceilMaxPool(x, 3, 2, 'maxpool1');
  x = cba(x, 64, 1, 1, 0, 'conv2', 2);
  const c2 = stage(cba(x, 192, 3, 1, 1, 'conv3', 3), 2);
  let k = 10;
  const inception = (y: tf.SymbolicTensor, id: string) => inceptionModule(y, { ...MODULES[id], name: `inception${id}`, seed: blockSeed(cfg, k++) });
  x = ceilMaxPool(c2, 3, 2, 'maxpool2');
  const c3 = stage(inception(inception(x, '3a'), '3b'), 3);
  const i4a = inception(ceilMaxPool(c3, 3, 2, 'maxpool3'), '4a');
  const i4d = inception(inception(inception(i4a, '4b'), '4c'), '4d');
  const c4 = stage(inception(i4d, '4e'), 4);
  const c5 = stage(inception(inception(ceilMaxPool(c4, 2, 2, 'maxpool4'), '5a'), '5b'), 5);
  return finish('googlenet', input, cfg, [c2, c3, c4, c5], () => {
    let h = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(c5) as tf.SymbolicTensor;
    h = tf.layers.dropout({ rate: 0.2, name: 'dropout' }).apply(h) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: cfg.numClasses, kernelInitializer: denseInit(blockSeed(cfg, 999)), name: 'fc' }).apply(h) as tf.SymbolicTensor;
    return cfg.auxLogits ? [logits, auxHead(i4a, cfg, 'aux1', 50), auxHead(i4d, cfg, 'aux2', 60)] : logits;
  });
}

// torchvision GoogLeNet_Weights.IMAGENET1K_V1: num_params 6,624,904 (aux heads removed), _ops 1.498, min_size 15.
export const googlenetSpecs: BackboneSpec[] = [{
  name: 'googlenet', family: 'googlenet',
  reference: 'Szegedy et al. 2014, Going Deeper with Convolutions (arXiv:1409.4842); torchvision models/googlenet.py (BN, 3x3 in the "5x5" branch)',
  torchvisionParams: 6_624_904, torchvisionGmacs: 1.498,
  defaults: { inputShape: [224, 224, 3], numClasses: 1000 }, minInputSize: 15, knobs: ['auxLogits'], hasFeatures: true, build: buildGoogLeNet,
}];
