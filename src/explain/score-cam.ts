import * as tf from '@tensorflow/tfjs';
import { runLayers } from './layer-graph';
import { BaseCam, type CamContext } from './base-cam';

/**
 * Score-CAM (Wang et al. 2020): no gradients. Each channel, upsampled to the
 * image and min-max normalised to [0, 1], masks the input; the channel's
 * weight is the target score of the masked image, and the weights are a
 * softmax over channels (as pytorch-grad-cam's ScoreCAM). Masked images run
 * in batches of `batchSize`.
 */
export class ScoreCam extends BaseCam {
  readonly reference = 'Wang et al., Score-CAM, CVPR Workshops 2020 (pytorch-grad-cam ScoreCAM)';
  protected override readonly usesGradients = false;
  constructor(private readonly batchSize = 16) {
    super();
  }

  protected camWeights({ model, input, activations, score }: CamContext): tf.Tensor1D {
    const [, H, W] = input.shape;
    const c = activations.shape[3];
    const up = tf.image.resizeBilinear(activations, [H, W]);
    const maps = tf.transpose(up, [3, 1, 2, 0]);
    const lo = tf.min(maps, [1, 2, 3], true);
    const hi = tf.max(maps, [1, 2, 3], true);
    const masks = tf.div(tf.sub(maps, lo), tf.add(tf.sub(hi, lo), 1e-8));
    const scores: tf.Tensor[] = [];
    for (let s = 0; s < c; s += this.batchSize) {
      const n = Math.min(this.batchSize, c - s);
      const masked = tf.mul(input, tf.slice(masks, [s, 0, 0, 0], [n, H, W, 1]));
      const out = runLayers(model, masked).output;
      for (let i = 0; i < n; i++) scores.push(score(tf.slice(out, [i, 0], [1, -1])));
    }
    return tf.softmax(tf.stack(scores)) as tf.Tensor1D;
  }
}
