import * as tf from '@tensorflow/tfjs';
import type { RoiHeadOptions } from './index';

/**
 * Fast R-CNN's box head as torchvision's TwoMLPHead + FastRCNNPredictor:
 * flatten the pooled RoI, two fully connected layers with ReLU, then class
 * logits (numClasses + 1, index 0 = background) and class-specific box deltas
 * (4 per class, background included). A tf.LayersModel from `[K, h, w, C]` to `[[K, numClasses + 1], [K, 4·(numClasses + 1)]]`.
 * Init: the FC layers as torch's Linear default (Kaiming-uniform a = √5, i.e. limit 1/√fan_in);
 * the predictor cls normal(0.01) and bbox normal(0.001) as Detectron's.
 */
export function twoMlpBoxHead(options: RoiHeadOptions): tf.LayersModel {
  const { inputShape, numClasses, hidden = 1024, name, seed } = options;
  const x = tf.input({ shape: inputShape, name: `${name}_input` });
  const torchLinear = () => tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed });
  let h = tf.layers.flatten({ name: `${name}_flatten` }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: torchLinear(), name: `${name}_fc6` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: torchLinear(), name: `${name}_fc7` }).apply(h) as tf.SymbolicTensor;
  const cls = tf.layers.dense({ units: numClasses + 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 0.01, seed }), name: `${name}_cls_score` }).apply(h) as tf.SymbolicTensor;
  const box = tf.layers.dense({ units: 4 * (numClasses + 1), kernelInitializer: tf.initializers.randomNormal({ stddev: 0.001, seed }), name: `${name}_bbox_pred` }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: [cls, box], name });
}
