import * as tf from '@tensorflow/tfjs';
import type { HeadOptions } from './index';

/**
 * The RPN head of Faster R-CNN as torchvision's RPNHead: one 3x3 conv + ReLU
 * shared by every level, then 1x1 convs giving A objectness logits and 4A box
 * deltas per location (A = anchors per location). Weights normal(std 0.01), biases 0.
 * Each level's outputs are flattened to `[B, H·W·A]` and `[B, H·W·A, 4]` in
 * (y, x, anchor) order, the order of core.gridAnchors. Class-agnostic: `numClasses` is not used.
 * Returns `{objectness, boxDeltas}`, one tensor per level each.
 */
export function rpnHead(levels: tf.SymbolicTensor[], options: HeadOptions): { objectness: tf.SymbolicTensor[]; boxDeltas: tf.SymbolicTensor[] } {
  const { anchorsPerLocation, name, seed } = options;
  if (!Number.isInteger(anchorsPerLocation) || anchorsPerLocation! < 1) throw new Error(`rpnHead: 'anchorsPerLocation' must be a positive integer, got ${anchorsPerLocation}.`);
  const A = anchorsPerLocation as number;
  const channels = levels[0].shape[3] as number;
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.01, seed });
  const conv = tf.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), name: `${name}_conv` });
  const cls = tf.layers.conv2d({ filters: A, kernelSize: 1, kernelInitializer: init(), name: `${name}_cls` });
  const box = tf.layers.conv2d({ filters: 4 * A, kernelSize: 1, kernelInitializer: init(), name: `${name}_bbox` });
  const scores: tf.SymbolicTensor[] = [];
  const deltas: tf.SymbolicTensor[] = [];
  levels.forEach((level, i) => {
    const t = conv.apply(level) as tf.SymbolicTensor;
    const [h, w] = level.shape.slice(1, 3) as number[];
    scores.push(tf.layers.reshape({ targetShape: [h * w * A], name: `${name}_cls_flat${i}` }).apply(cls.apply(t)) as tf.SymbolicTensor);
    deltas.push(tf.layers.reshape({ targetShape: [h * w * A, 4], name: `${name}_bbox_flat${i}` }).apply(box.apply(t)) as tf.SymbolicTensor);
  });
  return { objectness: scores, boxDeltas: deltas };
}
