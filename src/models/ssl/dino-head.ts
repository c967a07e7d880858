import * as tf from '@tensorflow/tfjs';

type Shape = (number | null)[];

/**
 * The end of DINO's projection head (facebookresearch/dino `DINOHead`):
 * L2-normalise the bottleneck vector, then a weight-normalised linear layer
 * without bias whose scale g is fixed to 1 (`norm_last_layer=True`), so every
 * output is a cosine similarity to one of K learned prototypes, in [−1, 1].
 * The temperatures then decide how peaked the softmax over them is.
 */
export class PrototypeLayer extends tf.layers.Layer {
  static className = 'PrototypeLayer';
  readonly units: number;
  readonly seed: number | undefined;
  private v!: tf.LayerVariable;

  constructor(args: { units: number; seed?: number; name?: string }) {
    super({ name: args.name });
    this.units = args.units;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.v = this.addWeight('prototypes', [s[s.length - 1] as number, this.units], 'float32', tf.initializers.truncatedNormal({ stddev: 0.02, seed: this.seed }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...s.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const unit = (t: tf.Tensor, axis: number) => tf.div(t, tf.maximum(tf.norm(t, 2, axis, true), 1e-12));
      return tf.matMul(unit(x, -1) as tf.Tensor2D, unit(this.v.read(), 0) as tf.Tensor2D);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
tf.serialization.registerClass(PrototypeLayer);
