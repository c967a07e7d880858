import * as tf from '@tensorflow/tfjs';
import { positiveNumber } from './check-options';

type Shape = (number | null)[];

/**
 * LayerScale (Touvron et al. 2021, CaiT; torchvision's ConvNeXt and Swin V2
 * use the same idea): a learned per-channel factor on a residual branch,
 * started small (default 1e-5) so each block begins close to the identity,
 * which lets deep transformers train.
 */
export class LayerScale extends tf.layers.Layer {
  static className = 'LayerScale';
  readonly initValue: number;
  private gamma!: tf.LayerVariable;

  constructor(args: { initValue?: number; name?: string; trainable?: boolean } = {}) {
    super({ name: args.name, trainable: args.trainable });
    this.initValue = positiveNumber('LayerScale', 'initValue', args.initValue ?? 1e-5);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.gamma = this.addWeight('gamma', [s[s.length - 1] as number], 'float32', tf.initializers.constant({ value: this.initValue }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.gamma.read()));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), initValue: this.initValue };
  }
}
tf.serialization.registerClass(LayerScale);
