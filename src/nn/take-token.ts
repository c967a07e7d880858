import * as tf from '@tensorflow/tfjs';
import { fail } from './check-options';

type Shape = (number | null)[];

/**
 * Picks one token of a sequence, [N, T, D] -> [N, D]: ViT's head reads the
 * class token (index 0, torchvision's `x[:, 0]`).
 */
export class TakeToken extends tf.layers.Layer {
  static className = 'TakeToken';
  readonly index: number;

  constructor(args: { index?: number; name?: string } = {}) {
    super({ name: args.name });
    this.index = args.index ?? 0;
    if (!Number.isInteger(this.index) || this.index < 0) fail('TakeToken', 'index', 'a whole number >= 0', this.index);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 3) fail('TakeToken', 'input', 'a token sequence [N, T, D]', `shape [${s.map((d) => d ?? 'null')}]`);
    if (s[1] != null && this.index >= s[1]) fail('TakeToken', 'index', `below the sequence length ${s[1]}`, this.index);
    return [s[0], s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.reshape(tf.slice(x, [0, this.index, 0], [-1, 1, -1]), [x.shape[0] as number, x.shape[2] as number]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), index: this.index };
  }
}
tf.serialization.registerClass(TakeToken);
