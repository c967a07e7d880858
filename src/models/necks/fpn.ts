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
  const outputs = fpnLevels('fpnNeck', features, options);
  return [...outputs, lastLevelMaxPool(outputs[outputs.length - 1], `${options.name}_pool`)];
}

/** torchvision's kaiming_uniform_(a = 1) with bias 0: uniform with limit sqrt(3 / fan_in), a varianceScaling(1, fanIn, uniform). */
export function fpnInit(seed: number | undefined): ReturnType<typeof tf.initializers.varianceScaling> {
  return tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed });
}

/** Throws unless each stage map is exactly twice the next one's size (`fn` names the caller). */
export function checkHalving(fn: string, features: tf.SymbolicTensor[]): void {
  if (!Array.isArray(features) || features.length === 0) throw new Error(`${fn}: 'features' must be a non-empty array of stage maps, got ${String(features)}.`);
  features.forEach((f, i) => {
    if (i > 0) {
      const [h, w] = f.shape.slice(1, 3) as number[];
      const [hp, wp] = features[i - 1].shape.slice(1, 3) as number[];
      if (hp !== 2 * h || wp !== 2 * w) {
        throw new Error(`${fn}: 'features' must halve in size from level to level, got ${hp}x${wp} then ${h}x${w} (use an input side divisible by 32).`);
      }
    }
  });
}

/** torchvision's LastLevelMaxPool: max-pool kernel 1, stride 2 (takes every other cell). */
export function lastLevelMaxPool(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.maxPooling2d({ poolSize: 1, strides: 2, padding: 'valid', name }).apply(x) as tf.SymbolicTensor;
}

/**
 * FPN's levels P_i without the extra one: laterals `${name}_lateral{i}`, sums
 * `${name}_add{i}`, smoothing convs `${name}_P{i}`. `augmentTop` may replace
 * the coarsest lateral before the top-down pass (AugFPN adds its residual
 * feature augmentation there).
 */
export function fpnLevels(
  fn: string,
  features: tf.SymbolicTensor[],
  options: NeckOptions,
  augmentTop?: (top: tf.SymbolicTensor) => tf.SymbolicTensor,
): tf.SymbolicTensor[] {
  const { channels, name, seed } = options;
  checkHalving(fn, features);
  const laterals = features.map(
    (f, i) => tf.layers.conv2d({ filters: channels, kernelSize: 1, kernelInitializer: fpnInit(seed), name: `${name}_lateral${i}` }).apply(f) as tf.SymbolicTensor,
  );
  if (augmentTop) laterals[laterals.length - 1] = augmentTop(laterals[laterals.length - 1]);
  const merged: tf.SymbolicTensor[] = new Array(laterals.length);
  merged[laterals.length - 1] = laterals[laterals.length - 1];
  for (let i = laterals.length - 2; i >= 0; i--) {
    const up = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest', name: `${name}_up${i + 1}` }).apply(merged[i + 1]) as tf.SymbolicTensor;
    merged[i] = tf.layers.add({ name: `${name}_add${i}` }).apply([laterals[i], up]) as tf.SymbolicTensor;
  }
  return merged.map(
    (m, i) => tf.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', kernelInitializer: fpnInit(seed), name: `${name}_P${i}` }).apply(m) as tf.SymbolicTensor,
  );
}
