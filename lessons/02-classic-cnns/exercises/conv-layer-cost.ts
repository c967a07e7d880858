/**
 * Exercise: what one convolution layer costs. Output size from the formula in
 * PyTorch's torch.nn.Conv2d documentation (dilation 1), parameters as
 * torch.nn.Conv2d allocates them (weight [cOut, cIn/groups, k, k] plus an
 * optional bias [cOut]), and multiply-accumulates counted the way
 * torchvision's published GFLOPS count them (one MAC per weight per output
 * position, bias additions not counted).
 */
import { defineExercise } from '../../../src/exercises/index';

export interface ConvCost {
  height: number;
  width: number;
  params: number;
  macs: number;
}

/** The reference; the unit tests check it against tf.layers' shapes and parameter counts. */
export function convLayerCost(h: number, w: number, cIn: number, cOut: number, k: number, s = 1, p = 0, groups = 1, bias = true): ConvCost {
  const out = (n: number) => Math.floor((n + 2 * p - k) / s) + 1;
  const height = out(h);
  const width = out(w);
  const weights = k * k * (cIn / groups) * cOut;
  return { height, width, params: weights + (bias ? cOut : 0), macs: height * width * weights };
}

export default defineExercise({
  id: 'conv-layer-cost',
  title: 'Output size, parameters and MACs of a convolution',
  entry: 'convLayerCost',
  starter: `/**
 * A k x k convolution with stride s and zero padding p on each side runs on an
 * h x w x cIn input and makes cOut channels. The channels are split into
 * \`groups\` groups (1 = an ordinary convolution; groups = cIn = cOut is a
 * depthwise one). Return its output size, its parameter count (bias included
 * when \`bias\` is true) and its multiply-accumulates for one image.
 */
function convLayerCost(h, w, cIn, cOut, k, s = 1, p = 0, groups = 1, bias = true) {
  const height = h;
  const width = w;
  const params = k * k * cIn * cOut;
  const macs = 0;
  return { height, width, params, macs };
}
`,
  solution: `function convLayerCost(h, w, cIn, cOut, k, s = 1, p = 0, groups = 1, bias = true) {
  const out = (n) => Math.floor((n + 2 * p - k) / s) + 1;
  const height = out(h);
  const width = out(w);
  // each output channel sees only its group's cIn / groups input channels
  const weights = k * k * (cIn / groups) * cOut;
  return { height, width, params: weights + (bias ? cOut : 0), macs: height * width * weights };
}
`,
  hints: [
    'Output size along one axis: floor((n + 2p - k) / s) + 1.',
    'One output channel has a k x k kernel for each input channel of its group, so k * k * (cIn / groups) weights, plus one bias.',
    'Every weight is used once at every output position: MACs = height * width * (all weights, without the biases).',
  ],
  cases: [
    // VGG's 3x3 conv, 64 -> 64 at 224 px, padding 1: 224 x 224; 3*3*64*64 = 36,864 + 64 = 36,928 params;
    // 224*224*36,864 = 1,849,688,064 MACs
    { args: [224, 224, 64, 64, 3, 1, 1], visible: true, label: 'VGG 3x3 conv' },
    // torchvision AlexNet conv1: 11x11 stride 4 padding 2 on 224: floor((224 + 4 - 11)/4) + 1 = 55;
    // 11*11*3*64 = 23,232 + 64 = 23,296 params; 55*55*23,232 = 70,276,800 MACs
    { args: [224, 224, 3, 64, 11, 4, 2], visible: true, label: 'AlexNet conv1' },
    // ResNet stem, no bias (a batch norm follows): floor((224 + 6 - 7)/2) + 1 = 112; 7*7*3*64 = 9,408;
    // 112*112*9,408 = 118,013,952 MACs
    { args: [224, 224, 3, 64, 7, 2, 3, 1, false], label: 'ResNet stem (no bias)' },
    // GoogLeNet 1x1 reduction 192 -> 16 at 28 px: 28 x 28; 192*16 + 16 = 3,088; 28*28*3,072 = 2,408,448
    { args: [28, 28, 192, 16, 1], label: '1x1 bottleneck' },
    // depthwise 3x3 on 32 channels at 56 px: 9*1*32 = 288 + 32 = 320; 56*56*288 = 903,168
    { args: [56, 56, 32, 32, 3, 1, 1, 32], label: 'depthwise (groups = channels)' },
    // a non-square input with stride 2 and no padding: floor((31 - 3)/2) + 1 = 15, floor((20 - 3)/2) + 1 = 9;
    // 3*3*(8/2)*6 = 216 + 6 = 222; 15*9*216 = 29,160
    { args: [31, 20, 8, 6, 3, 2, 0, 2], label: 'non-square, stride 2, 2 groups' },
  ],
  reference: convLayerCost,
});
