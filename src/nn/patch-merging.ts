import * as tf from '@tensorflow/tfjs';

/**
 * The gather half of Swin's patch merging (torchvision `PatchMerging`): pads an odd
 * H or W with one zero row/column (`_patch_merging_pad`), then stacks each 2 × 2
 * neighbourhood into the channels in torchvision's order x0 = (0,0), x1 = (1,0),
 * x2 = (0,1), x3 = (1,1) (row offset first): `[B, H, W, C]` → `[B, ⌈H/2⌉, ⌈W/2⌉, 4C]`.
 * The LayerNorm(4C) and the bias-free Linear(4C → 2C) that follow are ordinary
 * layers (see `patchMerging`), so `profile` counts the Linear like any Dense.
 */
export class PatchMergingGather extends tf.layers.Layer {
  static className = 'SwinPatchMergingGather';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const [b, h, w, c] = x.shape;
      const t = h % 2 || w % 2 ? tf.pad(x, [[0, 0], [0, h % 2], [0, w % 2], [0, 0]]) : x;
      const h2 = (h + (h % 2)) / 2;
      const w2 = (w + (w % 2)) / 2;
      // [B·h2, dy, w2, dx, C] → [B·h2, w2, dx, dy, C]: channel block dx·2 + dy is x0..x3.
      return t.reshape([b * h2, 2, w2, 2, c]).transpose([0, 2, 3, 1, 4]).reshape([b, h2, w2, 4 * c]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const half = (v: number | null) => (v == null ? null : Math.ceil(v / 2));
    return [s[0], half(s[1]), half(s[2]), s[3] == null ? null : 4 * s[3]];
  }
}
tf.serialization.registerClass(PatchMergingGather);
