import * as tf from '@tensorflow/tfjs';

/**
 * A small plain CNN with the zoo's `features: true` contract (outputs C2..C5 at
 * strides 4, 8, 16, 32, layers named C2..C5), for detector tests that must
 * train in seconds. Seeded, so a test run is reproducible.
 */
export function tinyFeatureBackbone(inputShape: [number, number, number], widths = [16, 24, 32, 48], seed = 1): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const conv = (x: tf.SymbolicTensor, filters: number, strides: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed++ }), name }).apply(x) as tf.SymbolicTensor;
  let x = conv(input, widths[0], 2, 'stem');
  const outs: tf.SymbolicTensor[] = [];
  widths.forEach((w, i) => {
    x = conv(x, w, 2, `C${i + 2}_down`);
    x = conv(x, w, 1, `C${i + 2}`);
    outs.push(x);
  });
  return tf.model({ inputs: input, outputs: outs, name: 'tiny_backbone' });
}
