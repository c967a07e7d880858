import * as tf from '@tensorflow/tfjs';
import { fail, positiveInt } from './check-options';

export interface PatchEmbeddingArgs {
  patchSize: number;
  /** Embedding size D of every patch token. */
  dim: number;
  useBias?: boolean;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

type Shape = (number | null)[];

const divisorsOf = (h: number, w: number) => Array.from({ length: Math.min(h, w) }, (_, i) => i + 1).filter((p) => h % p === 0 && w % p === 0);

/**
 * ViT's patch embedding as torchvision's `conv_proj`: a convolution with
 * kernel = stride = patchSize cuts the image into non-overlapping p x p
 * patches and maps each (p*p*C values) linearly to D, then the (H/p)x(W/p)
 * grid is read row by row as a sequence: [N, H, W, C] -> [N, HW/p^2, D].
 * Weights are [p, p, C, D] + [D] (torchvision's [D, C, p, p] + [D]).
 */
export class PatchEmbedding extends tf.layers.Layer {
  static className = 'PatchEmbedding';
  readonly patchSize: number;
  readonly dim: number;
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private kernel!: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: PatchEmbeddingArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.patchSize = positiveInt('PatchEmbedding', 'patchSize', args.patchSize);
    this.dim = positiveInt('PatchEmbedding', 'dim', args.dim);
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  private grid(inputShape: Shape): { gh: number; gw: number; c: number } {
    if (inputShape.length !== 4) fail('PatchEmbedding', 'input', 'an image batch [N, H, W, C]', `shape [${inputShape.map((d) => d ?? 'null')}]`);
    const [, h, w, c] = inputShape as number[];
    const p = this.patchSize;
    if (h == null || w == null) fail('PatchEmbedding', 'input', 'an image batch of known height and width', `shape [${inputShape.map((d) => d ?? 'null')}]`);
    if (h % p !== 0 || w % p !== 0) {
      fail('PatchEmbedding', 'patchSize', `a divisor of the image size ${h}x${w} (allowed: ${divisorsOf(h, w).join(', ')})`, p);
    }
    return { gh: h / p, gw: w / p, c };
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const { c } = this.grid(s);
    const p = this.patchSize;
    // torchvision: trunc_normal(std = sqrt(1 / fan_in)) on the weight, zeros on the bias.
    const std = Math.sqrt(1 / (p * p * c));
    this.kernel = this.addWeight('kernel', [p, p, c, this.dim], 'float32', tf.initializers.truncatedNormal({ stddev: std, seed: this.seed }));
    if (this.useBias) this.bias = this.addWeight('bias', [this.dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const { gh, gw } = this.grid(s);
    return [s[0], gh * gw, this.dim];
  }

  /** One p*p*C -> D product per patch. */
  countMacs(inputShape: number[] | number[][]): number {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as number[];
    const { gh, gw, c } = this.grid(s);
    return s[0] * gh * gw * this.patchSize * this.patchSize * c * this.dim;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const p = this.patchSize;
      let y: tf.Tensor = tf.conv2d(x, this.kernel.read() as tf.Tensor4D, p, 'valid');
      if (this.bias) y = tf.add(y, this.bias.read());
      const [n, gh, gw] = y.shape;
      return tf.reshape(y, [n, gh * gw, this.dim]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), patchSize: this.patchSize, dim: this.dim, useBias: this.useBias, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
tf.serialization.registerClass(PatchEmbedding);
