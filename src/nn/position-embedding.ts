import * as tf from '@tensorflow/tfjs';
import { fail, oneOf } from './check-options';
import { sinusoidalTable } from './sinusoidal-position-embedding';

export interface PositionEmbeddingArgs {
  /** 'learned' (default): one trained vector per position, N(0, 0.02^2) at the start as torchvision's `pos_embedding`; 'sinusoidal': the fixed code, not trained. */
  init?: 'learned' | 'sinusoidal';
  seed?: number;
  name?: string;
}

type Shape = (number | null)[];


/**
 * Adds a position embedding [1, T, D] to a token sequence [N, T, D]. In ViT
 * it covers the class token's position too (T = patches + 1), since
 * attention by itself cannot tell one position from another.
 */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'PositionEmbedding';
  readonly init: 'learned' | 'sinusoidal';
  readonly seed: number | undefined;
  private table!: tf.LayerVariable;

  constructor(args: PositionEmbeddingArgs = {}) {
    const init = oneOf('PositionEmbedding', 'init', args.init ?? 'learned', ['learned', 'sinusoidal'] as const);
    super({ name: args.name, trainable: init === 'learned' });
    this.init = init;
    this.seed = args.seed;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 3 || s[1] == null || s[2] == null) {
      fail('PositionEmbedding', 'input', 'a token sequence [N, T, D] with T and D known', `shape [${s.map((d) => d ?? 'null')}]`);
    }
    const learned = this.init === 'learned';
    const initializer = learned ? tf.initializers.randomNormal({ stddev: 0.02, seed: this.seed }) : tf.initializers.zeros();
    this.table = this.addWeight('embedding', [1, s[1], s[2]], 'float32', initializer, undefined, learned);
    // The fixed code is written once here; a saved model stores it like any weight.
    if (!learned) {
      const code = tf.tensor3d(sinusoidalTable(s[1] as number, s[2] as number), [1, s[1] as number, s[2] as number]);
      this.table.write(code);
      code.dispose();
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.add(Array.isArray(inputs) ? inputs[0] : inputs, this.table.read()));
  }

  /** The embedding table [T, D] (a new tensor), e.g. for the cosine-similarity map of Lesson 3. */
  embeddings(): tf.Tensor2D {
    return tf.tidy(() => tf.squeeze(this.table.read(), [0]) as tf.Tensor2D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), init: this.init, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
tf.serialization.registerClass(PositionEmbedding);
