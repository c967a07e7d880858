import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../../data/mnist';
import { checkKnob, accuracyOn, gradientNorms, probeBatch, type DigitSet, type Experiment } from './common';

/** Lesson 2, AlexNet's ReLU: AlexNet's optimiser (SGD, momentum 0.9, lr 0.01) on batches of 64 digits. */
export const ACTIVATION_RECIPE = { steps: 150, batchSize: 64, lr: 0.01, momentum: 0.9, dataSeed: 2, units: 64, activations: ['relu', 'tanh', 'sigmoid'] as const };

export interface ActivationResult {
  hiddenLayers: number;
  /** Training loss of each net at each step. */
  curves: { step: number; loss: number; activation: string }[];
  /** ‖∂L/∂W‖ of each dense layer (input to output) before training, on 64 test digits. */
  gradients: { layer: number; norm: number; activation: string }[];
  /** Test accuracy of each net after the run. */
  accuracy: Record<string, number>;
}

/**
 * Three fully connected nets, 784-64-...-64-10, identical (the same seeded
 * Glorot weights) but for the hidden activation: ReLU, tanh, sigmoid. One loop
 * trains all three on the same batches (their losses are summed; they share
 * no weight, so each gets its own gradient).
 */
export async function activationExperiment(opts: { hiddenLayers: number; test: DigitSet }): Promise<Experiment<ActivationResult>> {
  const depth = checkKnob('activationExperiment', 'hiddenLayers', opts.hiddenLayers, 1, 16, true);
  const r = ACTIVATION_RECIPE;
  const nets = r.activations.map((activation) => {
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [28, 28, 1] }));
    for (let i = 0; i < depth; i++) model.add(tf.layers.dense({ units: r.units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 20 + i }) }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }) }));
    return { activation, model };
  });
  const ce = (model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor) => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs, { training: true }) as tf.Tensor)) as tf.Scalar;
  const probe = probeBatch(opts.test, 64);
  const gradients = nets.flatMap(({ activation, model }) =>
    gradientNorms(model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.trainableWeights[0]!.read() as tf.Variable), () => ce(model, probe.xs, probe.ys))
      .map((norm, i) => ({ layer: i + 1, norm, activation })));
  tf.dispose([probe.xs, probe.ys]);
  const curves: ActivationResult['curves'] = [];
  return {
    steps: r.steps,
    fitOptions: {
      data: await mnistBatches({ split: 'train', batchSize: r.batchSize, seed: r.dataSeed, epochs: 2 }),
      steps: r.steps,
      optimizer: { name: 'momentum', momentum: r.momentum },
      schedule: r.lr,
      variables: nets.flatMap(({ model }) => model.trainableWeights.map((w) => w.read() as tf.Variable)),
      step: ({ xs, ys }) => {
        const terms = Object.fromEntries(nets.map(({ activation, model }) => [activation, ce(model, xs, ys)]));
        return { loss: tf.addN(Object.values(terms)) as tf.Scalar, terms };
      },
      onProgress: (e) => { for (const a of r.activations) curves.push({ step: e.step, loss: e.lossTerms[a]!, activation: a }); },
    },
    async result() {
      const accuracy: Record<string, number> = {};
      for (const { activation, model } of nets) accuracy[activation] = await accuracyOn(model, opts.test);
      return { hiddenLayers: depth, curves: [...curves], gradients, accuracy };
    },
    dispose: () => nets.forEach(({ model }) => model.dispose()),
  };
}
