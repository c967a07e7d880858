import * as tf from '@tensorflow/tfjs';
import type { NeckOptions } from './index';

/**
 * Feature Pyramid Network (Lin et al., CVPR 2017) as torchvision's
 * FeaturePyramidNetwork with LastLevelMaxPool: a 1x1 lateral conv brings each
 * C_i to `channels`; from the coarsest level down, the running map is
 * upsampled x2 (nearest) and added to the next lateral; a 3x3 conv smooths
 * each sum into P_i; P6 = max-pool(kernel 1, stride 2) of P5, used by the
 * RPN only. Inputs finest first (C2..C5), outputs P2..P6 finest first.
 * Each level must be exactly twice the next one's size (input sides divisible by 32).
 * Convs have biases and Kaiming-uniform(a = 1) init, as torchvision's.
 */
export function fpnNeck(features: tf.SymbolicTensor[], options: NeckOptions): tf.SymbolicTensor[] {
  const { channels, name } = options;
  features.forEach((f, i) => {
    if (i > 0) {
      const [h, w] = f.shape.slice(1, 3) as number[];
      const [hp, wp] = features[i - 1].shape.slice(1, 3) as number[];
      if (hp !== 2 * h || wp !== 2 * w) {
        throw new Error(`fpnNeck: 'features' must halve in size from level to level, got ${hp}x${wp} then ${h}x${w} (use an input side divisible by 32).`);
      }
    }
  });
  // torchvision: nn.init.kaiming_uniform_(w, a=1), bias 0: uniform with limit sqrt(3 / fan_in), a varianceScaling(1, fanIn, uniform).
  const init = () => tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed: options.seed });
  const laterals = features.map((f, i) =>
    tf.layers.conv2d({ filters: channels, kernelSize: 1, kernelInitializer: init(), name: `${name}_lateral${i}` }).apply(f) as tf.SymbolicTensor,
  );
  const merged: tf.SymbolicTensor[] = new Array(laterals.length);
  merged[laterals.length - 1] = laterals[laterals.length - 1];
  for (let i = laterals.length - 2; i >= 0; i--) {
    const up = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest', name: `${name}_up${i + 1}` }).apply(merged[i + 1]) as tf.SymbolicTensor;
    merged[i] = tf.layers.add({ name: `${name}_add${i}` }).apply([laterals[i], up]) as tf.SymbolicTensor;
  }
  const outputs = merged.map(
    (m, i) => tf.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', kernelInitializer: init(), name: `${name}_P${i}` }).apply(m) as tf.SymbolicTensor,
  );
  const extra = tf.layers.maxPooling2d({ poolSize: 1, strides: 2, padding: 'valid', name: `${name}_pool` }).apply(outputs[outputs.length - 1]) as tf.SymbolicTensor;
  return [...outputs, extra];
}
