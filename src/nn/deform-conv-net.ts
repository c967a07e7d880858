import * as tf from '@tensorflow/tfjs';
import { oneOf } from './check-options';
import { DeformConv2D } from './deform-conv';

export interface DeformDigitNetOptions {
  /** 'regular': every conv a tf.layers.conv2d; 'v1' / 'v2': the last two convs deformable (v2 with modulation). Default 'v1'. */
  conv?: 'regular' | 'v1' | 'v2';
  /** Filters of the four 3x3 convs. Default [16, 32, 32, 32]. */
  filters?: [number, number, number, number];
  seed?: number;
}

/**
 * The digit classifier of Lesson 14, regular or deformable, otherwise the
 * same network: conv-pool, conv-pool (28 -> 14 -> 7), then two 3x3 convs on the
 * 7x7 map, global average pooling and Dense+softmax. As in the DCN paper
 * (which replaces the last convs of a ResNet), only the last two convs become
 * deformable: there each tap can reach a rotated or stretched stroke instead
 * of its fixed grid neighbour. Layer names are fixed ('dcn1', 'dcn2' for the
 * last two) so a lesson can read their offsets.
 *
 * @example
 * const net = deformDigitNet({ conv: 'v2', seed: 1 }); // [N, 28, 28, 1] -> [N, 10]
 */
export function deformDigitNet(opts: DeformDigitNetOptions = {}): tf.Sequential {
  const conv = oneOf('deformDigitNet', 'conv', opts.conv ?? 'v1', ['regular', 'v1', 'v2'] as const);
  const [f1, f2, f3, f4] = opts.filters ?? [16, 32, 32, 32];
  const seed = opts.seed ?? 0;
  const model = tf.sequential({ name: `digits_${conv}` });
  const init = (k: number) => tf.initializers.heNormal({ seed: seed * 100 + k });
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: f1, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }));
  model.add(tf.layers.conv2d({ filters: f2, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }));
  [f3, f4].forEach((filters, i) => {
    const name = `dcn${i + 1}`;
    if (conv === 'regular') {
      model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', kernelInitializer: init(3 + i), name }));
    } else {
      model.add(new DeformConv2D({ filters, kernelSize: 3, padding: 'same', modulation: conv === 'v2', seed: seed * 100 + 3 + i, name }));
    }
    model.add(tf.layers.activation({ activation: 'relu', name: `relu${i + 3}` }));
  });
  model.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 9 }), name: 'classifier' }));
  return model;
}
