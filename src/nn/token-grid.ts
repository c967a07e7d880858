import * as tf from '@tensorflow/tfjs';
import { fail } from './check-options';

type Shape = (number | null)[];

/**
 * Turns a ViT's token sequence back into an image-shaped map,
 * [N, skip + H*W, D] -> [N, H, W, D]: the first `skip` tokens (the class
 * token) are dropped and the patch tokens, in the row-major order the patch
 * embedding wrote them, are laid out on their H x W grid. This is how ViTDet
 * (Li et al. 2022, "Exploring Plain Vision Transformer Backbones for Object
 * Detection") hands a plain ViT's last layer to a detector: one map at the
 * patch stride.
 */
export class TokenGrid extends tf.layers.Layer {
  static className = 'TokenGrid';
  readonly gridHeight: number;
  readonly gridWidth: number;
  readonly skip: number;

  constructor(args: { gridHeight: number; gridWidth: number; skip?: number; name?: string }) {
    super({ name: args.name });
    this.gridHeight = args.gridHeight;
    this.gridWidth = args.gridWidth;
    this.skip = args.skip ?? 1;
    for (const [k, v] of [['gridHeight', this.gridHeight], ['gridWidth', this.gridWidth]] as const) {
      if (!Number.isInteger(v) || v < 1) fail('TokenGrid', k, 'a whole number >= 1', v);
    }
    if (!Number.isInteger(this.skip) || this.skip < 0) fail('TokenGrid', 'skip', 'a whole number >= 0', this.skip);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 3) fail('TokenGrid', 'input', 'a token sequence [N, T, D]', `shape [${s.map((d) => d ?? 'null')}]`);
    const want = this.skip + this.gridHeight * this.gridWidth;
    if (s[1] != null && s[1] !== want) {
      fail('TokenGrid', 'input', `${want} tokens (${this.skip} skipped + ${this.gridHeight}x${this.gridWidth} patches)`, `${s[1]} tokens`);
    }
    return [s[0], this.gridHeight, this.gridWidth, s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [n, , d] = x.shape as number[];
      return tf.reshape(tf.slice(x, [0, this.skip, 0], [-1, -1, -1]), [n, this.gridHeight, this.gridWidth, d]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), gridHeight: this.gridHeight, gridWidth: this.gridWidth, skip: this.skip };
  }
}
tf.serialization.registerClass(TokenGrid);
