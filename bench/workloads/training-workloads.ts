import * as tf from '@tensorflow/tfjs';
import { seededValues } from '../../src/util/random';
import { buildSmallCnn } from './bench-model';

/**
 * Three short, deterministic training runs shaped like the course's models,
 * used to check that a backend trains the same as tfjs's CPU backend (in Node
 * by the unit tests, in Chromium by the browser check and the bench page).
 * Each resolves to its per-step losses and frees every tensor it made.
 */


function images(n: number, size: number, channels: number, seed: number): tf.Tensor4D {
  return tf.tensor4d(seededValues(n * size * size * channels, seed), [n, size, size, channels]);
}

/**
 * The small CNN (conv 16-32-64, max-pool, GAP, dense) trained with `model.fit`.
 *
 * @example
 * const losses = await trainSmallCnnFit(); // 6 losses, falling
 */
export async function trainSmallCnnFit(epochs = 6): Promise<number[]> {
  const model = buildSmallCnn(8, 4, 7);
  const opt = tf.train.adam(1e-2);
  model.compile({ optimizer: opt, loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
  const x = images(8, 8, 3, 11);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4).toFloat());
  const h = await model.fit(x, y, { epochs, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return h.history.loss as number[];
}

/**
 * A ResNet-style block (conv-BN-ReLU-conv-BN + identity, then a stride-2
 * conv with a 1x1 stride-2 projection, average pooling) in a custom loop.
 *
 * @example
 * const losses = await trainResnetBlock();
 */
export async function trainResnetBlock(steps = 6): Promise<number[]> {
  const init = (s: number) => tf.initializers.heNormal({ seed: s });
  const conv = (filters: number, kernelSize: number, strides: number, s: number) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: kernelSize > 1 ? 'same' : 'valid', kernelInitializer: init(s) });
  const input = tf.input({ shape: [12, 12, 5] });
  const stem = conv(8, 3, 1, 1).apply(input) as tf.SymbolicTensor;
  let h = conv(8, 3, 1, 2).apply(stem) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  h = conv(8, 3, 1, 3).apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(tf.layers.add().apply([h, stem])) as tf.SymbolicTensor;
  const down = conv(12, 3, 2, 4).apply(h) as tf.SymbolicTensor;
  const proj = conv(12, 1, 2, 5).apply(h) as tf.SymbolicTensor;
  let o = tf.layers.reLU().apply(tf.layers.add().apply([down, proj])) as tf.SymbolicTensor;
  o = tf.layers.averagePooling2d({ poolSize: 2 }).apply(o) as tf.SymbolicTensor;
  o = tf.layers.flatten().apply(o) as tf.SymbolicTensor;
  o = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }).apply(o) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: o });
  const x = images(6, 12, 5, 21);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat());
  const opt = tf.train.sgd(0.05);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    losses.push((await loss.data())[0]);
    loss.dispose();
  }
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return losses;
}

/**
 * A one-stage detector head: stride-2 conv and a depthwise-separable conv,
 * max-pool, then a 1x1 head (objectness + 4 box offsets per cell) trained
 * with RetinaNet's sigmoid focal loss (gamma 2, alpha 0.25) and an L1 box
 * loss on the cells gathered as positives (gather's gradient is
 * UnsortedSegmentSum).
 *
 * @example
 * const losses = await trainDetectorHead();
 */
export async function trainDetectorHead(steps = 6): Promise<number[]> {
  const seed = (s: number) => tf.initializers.glorotUniform({ seed: s });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: seed(1) }),
      tf.layers.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: seed(2), pointwiseInitializer: seed(3) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 5, kernelSize: 1, kernelInitializer: seed(4) }),
    ],
  });
  const x = images(4, 16, 3, 31);
  // Targets on the 4x4 grid: cells 5 and 10 of each image hold an object.
  const obj = tf.tidy(() => tf.oneHot(tf.tensor1d([5, 10], 'int32'), 16).sum(0).reshape([1, 4, 4, 1]).tile([4, 1, 1, 1]));
  const positives = tf.tensor1d([5, 10, 21, 26, 37, 42, 53, 58], 'int32'); // image*16 + cell
  const boxTargets = tf.tensor2d(seededValues(8 * 4, 41), [8, 4]);
  const opt = tf.train.adam(2e-2);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = opt.minimize(() => {
      const out = model.apply(x) as tf.Tensor4D;
      const [logit, box] = tf.split(out, [1, 4], 3);
      const p = tf.sigmoid(logit);
      // Stable BCE with logits: max(z,0) - z*t + log(1 + exp(-|z|)).
      const ce = tf.add(tf.sub(tf.relu(logit), tf.mul(logit, obj)), tf.log1p(tf.exp(tf.neg(tf.abs(logit)))));
      const pt = tf.add(tf.mul(obj, p), tf.mul(tf.sub(1, obj), tf.sub(1, p)));
      const alpha = tf.add(tf.mul(obj, 0.25), tf.mul(tf.sub(1, obj), 0.75));
      const focal = tf.sum(tf.mul(tf.mul(alpha, tf.pow(tf.sub(1, pt), 2)), ce));
      const boxes = tf.gather(tf.reshape(box, [-1, 4]), positives);
      const l1 = tf.sum(tf.abs(tf.sub(boxes, boxTargets)));
      return tf.div(tf.add(focal, l1), 8) as tf.Scalar;
    }, true)!;
    losses.push((await loss.data())[0]);
    loss.dispose();
  }
  tf.dispose([x, obj, positives, boxTargets]);
  opt.dispose();
  model.dispose();
  return losses;
}

export const trainingWorkloads = {
  smallCnnFit: trainSmallCnnFit,
  resnetBlock: trainResnetBlock,
  detectorHead: trainDetectorHead,
} as const;

/**
 * Largest step-wise relative difference between two loss curves.
 *
 * @example
 * curveGap([2.3, 2.1], [2.3001, 2.1]); // ~4.3e-5
 */
export function curveGap(a: number[], ref: number[]): number {
  if (a.length !== ref.length) return Infinity;
  let gap = 0;
  for (let i = 0; i < ref.length; i++) {
    if (!Number.isFinite(a[i])) return Infinity;
    gap = Math.max(gap, Math.abs(a[i] - ref[i]) / Math.max(1e-3, Math.abs(ref[i])));
  }
  return gap;
}
