import * as tf from '@tensorflow/tfjs';
import { rate as checkRate } from './check-options';

export interface StochasticDepthArgs {
  /** Probability of dropping a sample's residual branch while training, in [0, 1). */
  rate: number;
  name?: string;
}

/**
 * Stochastic depth (Huang et al. 2016) in torchvision's 'row' mode: while
 * training, each sample's input (a residual branch) is zeroed with
 * probability `rate` and the survivors scaled by 1 / (1 - rate), so the
 * expected value is unchanged; at inference it is the identity. Put it on the
 * branch, before the addition: a dropped sample then passes its shortcut only.
 */
export class StochasticDepth extends tf.layers.Layer {
  static className = 'StochasticDepth';
  readonly rate: number;

  constructor(args: StochasticDepthArgs) {
    super({ name: args.name });
    this.rate = checkRate('StochasticDepth', 'rate', args.rate);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      // One draw per sample, broadcast over the rest: floor(keep + U[0,1)) is 1 with probability keep.
      const maskShape = [x.shape[0], ...x.shape.slice(1).map(() => 1)];
      const mask = tf.floor(tf.add(keep, tf.randomUniform(maskShape)));
      return tf.mul(x, tf.div(mask, keep));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(StochasticDepth);
