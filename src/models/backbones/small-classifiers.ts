import * as tf from '@tensorflow/tfjs';

/**
 * Small tf.layers classifiers the early lessons train live and ship weights
 * for. Every initializer is seeded, so the same seed builds the same model.
 */

export interface MlpOptions {
  inputShape?: [number, number, number];
  hidden?: number[];
  classes?: number;
  seed?: number;
}

/**
 * A multilayer perceptron: flatten, Dense+ReLU per hidden size, Dense+softmax.
 * It sees each pixel position as its own input, which is why a shifted digit
 * confuses it (Lesson 1).
 *
 * @example
 * const mlp = mlpClassifier({hidden: [128], seed: 1});
 * mlp.predict(tf.zeros([1, 28, 28, 1])); // [1, 10] class probabilities
 */
export function mlpClassifier(opts: MlpOptions = {}): tf.Sequential {
  const { inputShape = [28, 28, 1], hidden = [128], classes = 10, seed = 0 } = opts;
  const model = tf.sequential({ name: 'mlp' });
  model.add(tf.layers.flatten({ inputShape }));
  hidden.forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed * 100 + i }) })));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 99 }) }));
  return model;
}

export interface SmallCnnOptions {
  inputShape?: [number, number, number];
  /** Filters of each 3x3 conv stage; each stage but the last ends with 2x2 max pooling (default [16, 32, 32]). */
  filters?: number[];
  classes?: number;
  /** 'global' (default) pools the last feature map to one vector, so a shifted digit gives nearly the same features; 'flatten' keeps positions. */
  head?: 'global' | 'flatten';
  seed?: number;
}

/**
 * A small CNN: 3x3 conv + ReLU stages with max pooling, then global average
 * pooling (or flatten) and Dense+softmax. About 15k parameters by default.
 *
 * @example
 * const cnn = smallCnnClassifier({seed: 1});
 * cnn.countParams(); // 14,378 with the defaults
 */
export function smallCnnClassifier(opts: SmallCnnOptions = {}): tf.Sequential {
  const { inputShape = [28, 28, 1], filters = [16, 32, 32], classes = 10, head = 'global', seed = 0 } = opts;
  const model = tf.sequential({ name: 'small_cnn' });
  filters.forEach((f, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape } : {}),
        filters: f,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: seed * 100 + i }),
      }),
    );
    if (i < filters.length - 1) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(head === 'global' ? tf.layers.globalAveragePooling2d({}) : tf.layers.flatten());
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 99 }) }));
  return model;
}
