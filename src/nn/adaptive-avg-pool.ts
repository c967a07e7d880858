import * as tf from '@tensorflow/tfjs';
import { positiveInt } from './check-options';

export interface AdaptiveAvgPoolArgs {
  /** Output height and width (a number for a square output). */
  outputSize: number | [number, number];
  name?: string;
}

/**
 * torch's AdaptiveAvgPool2d on NHWC maps: output cell i averages input rows
 * floor(i*H/out) .. ceil((i+1)*H/out) - 1 (bins may overlap when out does not
 * divide H, e.g. GoogLeNet's aux head 14 -> 4 averages rows 0-3, 3-6, 7-10,
 * 10-13). When out divides H it is a plain average pool, and the identity when equal.
 * AlexNet (6x6), VGG (7x7) and GoogLeNet's aux heads (4x4) end their features with it.
 */
export class AdaptiveAvgPool2d extends tf.layers.Layer {
  static className = 'AdaptiveAvgPool2d';
  readonly outputSize: [number, number];

  constructor(args: AdaptiveAvgPoolArgs) {
    super({ name: args.name });
    const o = typeof args.outputSize === 'number' ? [args.outputSize, args.outputSize] : args.outputSize;
    this.outputSize = [positiveInt('AdaptiveAvgPool2d', 'outputSize', o[0]), positiveInt('AdaptiveAvgPool2d', 'outputSize', o[1])];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], this.outputSize[0], this.outputSize[1], s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const [, h, w] = x.shape;
    const [oh, ow] = this.outputSize;
    if (h === oh && w === ow) return x;
    return tf.tidy(() => {
      if (h % oh === 0 && w % ow === 0) return tf.avgPool(x, [h / oh, w / ow], [h / oh, w / ow], 'valid');
      const rows = bins(h, oh).map(([a, b]) => tf.mean(tf.slice(x, [0, a, 0, 0], [-1, b - a, -1, -1]), 1, true));
      const byRow = tf.concat(rows, 1);
      const cols = bins(w, ow).map(([a, b]) => tf.mean(tf.slice(byRow, [0, 0, a, 0], [-1, -1, b - a, -1]), 2, true));
      return tf.concat(cols, 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outputSize: this.outputSize };
  }
}
tf.serialization.registerClass(AdaptiveAvgPool2d);

/** torch's bin edges: [floor(i*n/out), ceil((i+1)*n/out)). */
function bins(n: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * n) / out), Math.ceil(((i + 1) * n) / out)]);
}
