import * as tf from '@tensorflow/tfjs';
import { mnistBatches } from '../../data/mnist';
import { buildBackbone } from '../../models/index';
import { accuracyOn, checkKnob, gradientNorms, probeBatch, type DigitSet, type Experiment } from './common';

/** Lesson 2, GoogLeNet's auxiliary classifier: plain_tiny (14 layers, width 0.25; Adam, lr 0.003), 50 steps of 32 digits. */
export const AUX_LOSS_RECIPE = { steps: 50, batchSize: 32, lr: 0.003, dataSeed: 6, every: 10, depth: 14, widthMultiplier: 0.25, seed: 5 };

export interface AuxLossResult {
  weight: number;
  /** ‖∂L/∂W‖ of the first convolution (L = L_final + w L_aux, on 64 test digits), every `every` steps. */
  gradients: { step: number; gradient: number }[];
  /** Both loss terms at every step. */
  losses: { step: number; final: number; aux: number }[];
  /** The final head's test accuracy after the run. */
  accuracy: number;
}

/**
 * A deep plain CNN without shortcuts with an auxiliary classifier (global
 * average pooling, Dense) tapped at the end of its first stage, trained with
 * L = L_final + w L_aux, GoogLeNet's recipe (w = 0.3 there) on a small scale.
 */
export async function auxLossExperiment(opts: { weight: number; test: DigitSet }): Promise<Experiment<AuxLossResult>> {
  const w = checkKnob('auxLossExperiment', 'weight', opts.weight, 0, 10);
  const r = AUX_LOSS_RECIPE;
  const base = buildBackbone('plain_tiny', { inputShape: [28, 28, 1], numClasses: 10, depth: r.depth, widthMultiplier: r.widthMultiplier, seed: r.seed });
  // The end of the first stage: the last activation before the first stride-2 convolution.
  const firstStride2 = base.layers.findIndex((l) => l.getClassName() === 'Conv2D' && (l.getConfig().strides as number[] | undefined)?.[0] === 2);
  const tap = base.layers.slice(0, firstStride2).filter((l) => ['ReLU', 'Activation'].includes(l.getClassName())).at(-1);
  if (!tap) throw new Error('auxLossExperiment: plain_tiny has no activation before its first stride-2 convolution to attach the auxiliary head to.');
  const pooled = tf.layers.globalAveragePooling2d({ name: 'aux_pool' }).apply(tap.output as tf.SymbolicTensor) as tf.SymbolicTensor;
  const auxLogits = tf.layers.dense({ units: 10, name: 'aux_classifier', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: [base.outputs[0]!, auxLogits] });
  const firstConv = base.layers.find((l) => l.getClassName() === 'Conv2D')!;
  const lossOf = (xs: tf.Tensor, ys: tf.Tensor) => {
    const [final, aux] = model.apply(xs, { training: true }) as tf.Tensor[];
    const terms = { final: tf.losses.softmaxCrossEntropy(ys, final!) as tf.Scalar, aux: tf.losses.softmaxCrossEntropy(ys, aux!) as tf.Scalar };
    return { terms, total: tf.add(terms.final, tf.mul(w, terms.aux)) as tf.Scalar };
  };
  const probe = probeBatch(opts.test, 64);
  const gradients: AuxLossResult['gradients'] = [];
  const losses: AuxLossResult['losses'] = [];
  return {
    steps: r.steps,
    fitOptions: {
      variables: model.trainableWeights.map((v) => v.read() as tf.Variable),
      data: await mnistBatches({ split: 'train', batchSize: r.batchSize, seed: r.dataSeed, epochs: 1 }),
      steps: r.steps,
      optimizer: 'adam',
      schedule: r.lr,
      step: ({ xs, ys }) => {
        const { terms, total } = lossOf(xs, ys);
        return { loss: total, terms };
      },
      onProgress: (e) => losses.push({ step: e.step, final: e.lossTerms.final!, aux: e.lossTerms.aux! }),
      evaluate: {
        every: r.every,
        fn: ({ step }) => {
          const [gradient] = gradientNorms([firstConv.trainableWeights[0]!.read() as tf.Variable], () => lossOf(probe.xs, probe.ys).total);
          gradients.push({ step, gradient: gradient! });
          return { firstLayerGradient: gradient! };
        },
      },
    },
    result: async () => ({ weight: w, gradients: [...gradients], losses: [...losses], accuracy: await accuracyOn(model, opts.test) }),
    dispose: () => {
      model.dispose();
      tf.dispose([probe.xs, probe.ys]);
    },
  };
}
