import * as tf from '@tensorflow/tfjs';
import { basicBlock } from '../../nn/basic-block';
import { bottleneckBlock } from '../../nn/bottleneck-block';
import { convBnAct } from '../../nn/conv-bn-act';
import { denseInit } from '../../nn/init';
import { blockSeed, finish, stage, width, type BackboneConfig, type BackboneSpec } from './common';

/**
 * ResNet (He et al. 2015) exactly as torchvision's resnet.py: a 7x7/2 stem
 * and 3x3/2 max-pool, four stages of 64-128-256-512 (x4 for bottlenecks)
 * whose first block strides by 2 (but the first stage), global average pool,
 * one Dense. Stage outputs are C2..C5 (strides 4..32).
 */
const LAYERS = { resnet18: [2, 2, 2, 2], resnet34: [3, 4, 6, 3], resnet50: [3, 4, 6, 3] } as const;

export function buildResNet(name: 'resnet18' | 'resnet34' | 'resnet50', cfg: BackboneConfig): tf.LayersModel {
  const bottleneck = name === 'resnet50';
  const input = tf.input({ shape: cfg.inputShape, name: 'input' });
  let x = convBnAct(input, { filters: width(64, cfg), kernelSize: 7, strides: 2, padding: 3, name: 'conv1', seed: blockSeed(cfg, 0) });
  // torch pads the max-pool with -inf; after a ReLU zero padding is the same, and keeps torch's window alignment.
  x = tf.layers.zeroPadding2d({ padding: 1, name: 'maxpool_pad' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }).apply(x) as tf.SymbolicTensor;
  const stages: tf.SymbolicTensor[] = [];
  let k = 1;
  LAYERS[name].forEach((blocks, s) => {
    const filters = width(64 * 2 ** s, cfg);
    for (let b = 0; b < blocks; b++) {
      const opts = { filters, strides: b === 0 && s > 0 ? 2 : 1, name: `layer${s + 1}_${b}`, seed: blockSeed(cfg, k++) };
      x = bottleneck ? bottleneckBlock(x, opts) : basicBlock(x, opts);
    }
    x = stage(x, (s + 2) as 2 | 3 | 4 | 5);
    stages.push(x);
  });
  return finish(name, input, cfg, stages, () => classifier(x, cfg, 'fc'));
}

/** Global average pool and one Dense to the logits. */
function classifier(x: tf.SymbolicTensor, cfg: BackboneConfig, fcName: string): tf.SymbolicTensor {
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.dense({ units: cfg.numClasses, kernelInitializer: denseInit(blockSeed(cfg, 999)), name: fcName }).apply(pooled) as tf.SymbolicTensor;
}

/** Depths the tiny nets accept: 6n + 2 (n basic blocks in each of 3 stages), He et al.'s CIFAR family. */
export function tinyDepths(): string {
  return '6n + 2 for n = 1..18 (8, 14, 20, 26, 32, 38, 44, 56, ... 110)';
}

/**
 * The lessons' small ResNet and its plain twin, He et al.'s CIFAR networks
 * (section 4.2) sized for 28x28 digits: a 3x3 conv of 16, then three stages of
 * n basic blocks at 16, 32, 64 channels (times widthMultiplier; stages 2 and 3
 * stride 2: 28 -> 14 -> 7), global average pool, Dense. Weighted layers:
 * 1 + 6n + 1 = depth. `shortcut: false` is the plain net: the same layers and,
 * for the same seed, the same initial weights, without the additions (and
 * without the two 1x1 projection shortcuts, which belong to the shortcut).
 * With `features: true` it returns its three stage maps, named by stride
 * (common.ts stageName): C0 (28x28, stride 1), C1 (14x14, stride 2) and C2
 * (7x7, stride 4) for a 28x28 input.
 */
export function buildTinyResNet(name: 'resnet_tiny' | 'plain_tiny', cfg: BackboneConfig): tf.LayersModel {
  const n = ((cfg.depth ?? 20) - 2) / 6;
  const shortcut = name === 'resnet_tiny';
  const input = tf.input({ shape: cfg.inputShape, name: 'input' });
  let x = convBnAct(input, { filters: width(16, cfg), kernelSize: 3, padding: 1, name: 'stem', seed: blockSeed(cfg, 0) });
  let k = 1;
  const stages: tf.SymbolicTensor[] = [];
  for (let s = 0; s < 3; s++) {
    for (let b = 0; b < n; b++) {
      x = basicBlock(x, { filters: width(16 * 2 ** s, cfg), strides: b === 0 && s > 0 ? 2 : 1, shortcut, name: `stage${s + 1}_${b}`, seed: blockSeed(cfg, k++) });
    }
    // Stage s ends at stride 2^s. Marked only for features: the classifier keeps its layer list (and its shipped weights' names).
    if (cfg.features) x = stage(x, s);
    stages.push(x);
  }
  return finish(name, input, cfg, stages, () => classifier(x, cfg, 'fc'));
}

const RESNET_REF = 'He et al. 2015, Deep Residual Learning (arXiv:1512.03385); torchvision models/resnet.py';
// torchvision's ResNet min_size is 1x1: every stride-2 conv and the padded pool map 1 pixel to 1.
const full = { defaults: { inputShape: [224, 224, 3] as [number, number, number], numClasses: 1000 }, minInputSize: 1, knobs: ['widthMultiplier'] as const, hasFeatures: true };
const tiny = {
  family: 'resnet',
  defaults: { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 },
  minInputSize: 8,
  knobs: ['depth', 'widthMultiplier'] as const,
  depths: { check: (d: number) => Number.isInteger(d) && d >= 8 && d <= 110 && (d - 2) % 6 === 0, describe: tinyDepths(), default: 20 },
  hasFeatures: true,
};

// Parameter counts and GFLOPS (_ops): torchvision's weights tables (ResNet18_Weights.IMAGENET1K_V1 etc.,
// pytorch.org/vision/stable/models), checked against models/resnet.py's _meta.
export const resnetSpecs: BackboneSpec[] = [
  { name: 'resnet18', family: 'resnet', reference: RESNET_REF, torchvisionParams: 11_689_512, torchvisionGmacs: 1.814, ...full, build: (c) => buildResNet('resnet18', c) },
  { name: 'resnet34', family: 'resnet', reference: RESNET_REF, torchvisionParams: 21_797_672, torchvisionGmacs: 3.664, ...full, build: (c) => buildResNet('resnet34', c) },
  { name: 'resnet50', family: 'resnet', reference: RESNET_REF, torchvisionParams: 25_557_032, torchvisionGmacs: 4.089, ...full, build: (c) => buildResNet('resnet50', c) },
  { name: 'resnet_tiny', reference: 'He et al. 2015, section 4.2 (CIFAR ResNets, 6n+2 layers), for 28x28 digits', ...tiny, build: (c) => buildTinyResNet('resnet_tiny', c) },
  { name: 'plain_tiny', reference: 'He et al. 2015, section 4.2 (the plain twin: no shortcuts), for 28x28 digits', ...tiny, build: (c) => buildTinyResNet('plain_tiny', c) },
];
