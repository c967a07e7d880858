import * as tf from '@tensorflow/tfjs';

/**
 * The reference workload: conv 3x3 16-32-64 with ReLU and 2x2 max
 * pooling, global average pooling, dense 10; Adam; batch [16,64,64,3].
 * PyTorch runs one step in 31 ms on the 2-core reference machine.
 */
export const PYTORCH_STEP_MS = 31;

/**
 * The small CNN with seeded initial weights.
 *
 * @example
 * const model = buildSmallCnn(64, 10); // input [64,64,3], 10 logits
 */
export function buildSmallCnn(size = 64, classes = 10, seed = 1): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [size, size, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(3) }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: classes, kernelInitializer: init(4) }));
  return m;
}

export interface TrainStep {
  /** One Adam step on the fixed batch; resolves to the loss after reading it back. */
  step: () => Promise<number>;
  dispose: () => void;
}

/**
 * A ready-to-time training step of the small CNN on the current backend. The
 * browser bench and `bench/suites/train-step.ts` both time `step()`.
 *
 * @example
 * await tf.setBackend('wasm');
 * const t = smallCnnTrainStep();
 * const loss = await t.step(); // ~70 ms on wasm with the training kernels
 * t.dispose();
 */
export function smallCnnTrainStep(opts: { batch?: number; size?: number; lr?: number; seed?: number } = {}): TrainStep {
  const { batch = 16, size = 64, lr = 1e-3, seed = 1 } = opts;
  const model = buildSmallCnn(size, 10, seed);
  const opt = tf.train.adam(lr);
  const x = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', seed);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', seed), 10).toFloat());
  return {
    step: async () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar, true)!;
      const v = (await loss.data())[0];
      loss.dispose();
      return v;
    },
    dispose: () => {
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
    },
  };
}
