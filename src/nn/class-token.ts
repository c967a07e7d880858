import * as tf from '@tensorflow/tfjs';
import { fail } from './check-options';

type Shape = (number | null)[];

/**
 * ViT's class token: one learned D-vector (zeros at the start, as
 * torchvision's `class_token`) put in front of every sequence, [N, T, D] ->
 * [N, T+1, D]. Attention lets it gather from every patch; the head reads only
 * its final state.
 */
export class ClassToken extends tf.layers.Layer {
  static className = 'ClassToken';
  private token!: tf.LayerVariable;

  constructor(args: { name?: string; trainable?: boolean } = {}) {
    super(args);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 3 || s[2] == null) fail('ClassToken', 'input', 'a token sequence [N, T, D] with D known', `shape [${s.map((d) => d ?? 'null')}]`);
    this.token = this.addWeight('token', [1, 1, s[2]], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [s[0], s[1] == null ? null : s[1] + 1, s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [n, , d] = x.shape;
      // broadcastTo's gradient is a sum over the batch: every sample's token gradient reaches the one weight.
      return tf.concat([tf.broadcastTo(this.token.read(), [n, 1, d]), x], 1);
    });
  }
}
tf.serialization.registerClass(ClassToken);
