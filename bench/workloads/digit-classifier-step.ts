import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';

/** Median and fastest time of one step, and the model's trainable parameter count. */
export interface StepTiming {
  median: number;
  min: number;
  params: number;
}

/**
 * Times one Adam step (softmax cross-entropy, batch of random 28x28x1 digits)
 * of a classifier on a Node backend: 'wasm' with the course's training
 * kernels, or the 'cpu' reference. The first step is not timed: it sets up
 * kernels and Adam's slots, which a learner pays once.
 */
export async function timeDigitClassifierStep(backend: 'wasm' | 'cpu', build: () => tf.LayersModel, reps: number, batch = 32): Promise<StepTiming> {
  if (backend === 'wasm') {
    if ((await useFastestNodeBackend()) !== 'wasm') throw new Error('wasm backend unavailable');
  } else {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const model = build();
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10).toFloat());
  const step = async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    await loss.data();
    loss.dispose();
  };
  await step();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  const params = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, params };
}
