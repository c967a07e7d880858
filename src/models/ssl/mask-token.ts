import * as tf from '@tensorflow/tfjs';

type Shape = (number | null)[];

/**
 * MAE's learned mask token, added after the encoder: inputs `[tokens [B, L, D],
 * mask [B, L, 1]]`, output `tokens · (1 − mask) + mask · t` with one learned
 * vector t of size D shared by every masked position. The decoder's position
 * embedding, added next, tells the copies apart.
 */
export class MaskToken extends tf.layers.Layer {
  static className = 'MaskToken';
  private token!: tf.LayerVariable;

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (inputShape as Shape[])[0];
    // MAE: torch.nn.init.normal_(self.mask_token, std=.02)
    this.token = this.addWeight('mask_token', [s[s.length - 1] as number], 'float32', tf.initializers.randomNormal({ stddev: 0.02, seed: 11 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, m] = inputs as tf.Tensor[];
      return tf.add(tf.mul(x, tf.sub(1, m)), tf.mul(m, this.token.read()));
    });
  }
}
tf.serialization.registerClass(MaskToken);
