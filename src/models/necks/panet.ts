import * as tf from '@tensorflow/tfjs';
import { fpnInit, fpnLevels, lastLevelMaxPool } from './fpn';
import type { NeckOptions } from './index';

/**
 * PANet's neck (Liu et al., Path Aggregation Network for Instance
 * Segmentation, CVPR 2018, Fig. 2(b)): an FPN (P2..P5, as `fpnNeck`) and then
 * the extra bottom-up path augmentation: N2 = P2 and
 * N_{i+1} = conv3x3(conv3x3_stride2(N_i) + P_{i+1}), the paper's wiring.
 * Convs as mmdetection's PAFPN: biases, no activation, the stride-2 conv
 * padded 1 pixel each side as torch (`${name}_down{i}`), the fusing conv
 * 'same' (`${name}_pan{i}`). One extra level for dense heads: max-pool
 * (kernel 1, stride 2) of the last N, as FPN's P6. Inputs finest first
 * (C2..C5, or C3..C5), outputs N_2..N_5 and the extra one.
 */
export function panetNeck(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  const { channels, name, seed } = options;
  const p = fpnLevels('panetNeck', features, options);
  const n: tf.SymbolicTensor[] = [p[0]];
  for (let i = 0; i + 1 < p.length; i++) {
    const padded = tf.layers.zeroPadding2d({ padding: 1, name: `${name}_down${i}_pad` }).apply(n[i]) as tf.SymbolicTensor;
    const down = tf.layers
      .conv2d({ filters: channels, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: fpnInit(seed), name: `${name}_down${i}` })
      .apply(padded) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: `${name}_panadd${i + 1}` }).apply([down, p[i + 1]]) as tf.SymbolicTensor;
    n.push(tf.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', kernelInitializer: fpnInit(seed), name: `${name}_pan${i + 1}` }).apply(sum) as tf.SymbolicTensor);
  }
  return [...n, lastLevelMaxPool(n[n.length - 1], `${name}_pool`)];
}
