import * as tf from '@tensorflow/tfjs';


type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
/**
 * Seeded initializers shared by the blocks. Convolutions use He (Kaiming)
 * normal with fan-out, as torchvision initialises ResNet and
 * EfficientNet; dense layers Glorot uniform. A block given seed s gives its
 * k-th weighted layer seed s + k, so one backbone seed fixes every weight.
 */
export function convInit(seed: number | undefined): Initializer {
  return tf.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed });
}

export function denseInit(seed: number | undefined): Initializer {
  return tf.initializers.glorotUniform({ seed });
}

/** Sub-seed k of a block's seed (undefined stays unseeded). */
export function subSeed(seed: number | undefined, k: number): number | undefined {
  return seed === undefined ? undefined : seed + k;
}
