import * as tf from '@tensorflow/tfjs';

/**
 * Small custom layers the necks share (BiFPN's fused weights, NAS-FPN's
 * global-pooling attention, resizing to a given size, AugFPN's spatially
 * weighted sum). Each is differentiable through ordinary tfjs ops, so it
 * trains on every backend the course uses (wasm included).
 */

/** The fusion weights of BiFPN's fast normalised fusion: w_i = relu(w_i) / (Σ_j relu(w_j) + eps). */
export function fastNormalizedWeights(raw: tf.Tensor1D, epsilon = 1e-4): tf.Tensor1D {
  return tf.tidy(() => {
    const w = tf.relu(raw);
    return tf.div(w, tf.add(tf.sum(w), epsilon)) as tf.Tensor1D;
  });
}

export interface FastNormalizedFusionArgs {
  /** BiFPN's epsilon (1e-4, EfficientDet). */
  epsilon?: number;
  name?: string;
}

/**
 * EfficientDet's fast normalised fusion of k same-shaped maps:
 * O = Σ_i w_i·I_i with w_i = relu(w'_i) / (Σ_j relu(w'_j) + ε), one trainable
 * scalar w'_i per input, initialised to 1 (so a new node averages its inputs).
 */
export class FastNormalizedFusion extends tf.layers.Layer {
  static className = 'FastNormalizedFusion';
  readonly epsilon: number;
  private raw!: tf.LayerVariable;

  constructor(args: FastNormalizedFusionArgs = {}) {
    super({ name: args.name });
    this.epsilon = args.epsilon ?? 1e-4;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const k = (inputShape as tf.Shape[]).length;
    this.raw = this.addWeight('fusion_weights', [k], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const xs = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const w = fastNormalizedWeights(this.raw.read() as tf.Tensor1D, this.epsilon);
      let out = tf.mul(xs[0], tf.slice(w, [0], [1]).reshape([]));
      for (let i = 1; i < xs.length; i++) out = tf.add(out, tf.mul(xs[i], tf.slice(w, [i], [1]).reshape([])));
      return out;
    });
  }

  /** The normalised weights now (a new tensor; the caller disposes it). */
  normalizedWeights(): tf.Tensor1D {
    return fastNormalizedWeights(this.raw.read() as tf.Tensor1D, this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(FastNormalizedFusion);

/**
 * NAS-FPN's global-pooling merge (mmcv GlobalPoolingCell): inputs [x1, x2] of
 * the same shape, output x2 + sigmoid(global-average-pool(x2)) · x1, the
 * pooled attention a per-channel gate on x1.
 */
export class GlobalPoolingAttention extends tf.layers.Layer {
  static className = 'GlobalPoolingAttention';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x1, x2] = inputs as tf.Tensor[];
    return tf.tidy(() => tf.add(x2, tf.mul(tf.sigmoid(tf.mean(x2, [1, 2], true)), x1)));
  }
}
tf.serialization.registerClass(GlobalPoolingAttention);

export interface ResizeArgs {
  /** Output height and width. */
  size: [number, number];
  /** 'nearest' (torch F.interpolate nearest: source index floor(i·in/out)) or 'bilinear'. */
  method: 'nearest' | 'bilinear';
  /** torch's align_corners (bilinear only). */
  alignCorners?: boolean;
  name?: string;
}

/** Resizes NHWC maps to a fixed size, as torch's F.interpolate(size=...). */
export class ResizeTo extends tf.layers.Layer {
  static className = 'ResizeTo';
  readonly size: [number, number];
  readonly method: 'nearest' | 'bilinear';
  readonly alignCorners: boolean;

  constructor(args: ResizeArgs) {
    super({ name: args.name });
    this.size = args.size;
    this.method = args.method;
    this.alignCorners = args.alignCorners ?? false;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], this.size[0], this.size[1], s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    if (x.shape[1] === this.size[0] && x.shape[2] === this.size[1]) return tf.clone(x);
    return this.method === 'nearest' ? tf.image.resizeNearestNeighbor(x, this.size, false) : tf.image.resizeBilinear(x, this.size, this.alignCorners);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size, method: this.method, alignCorners: this.alignCorners };
  }
}
tf.serialization.registerClass(ResizeTo);

/**
 * AugFPN's adaptive spatial fusion sum: inputs [weights [B, H, W, k], f_0, ..., f_{k-1}]
 * (each f_i [B, H, W, C]), output Σ_i weights[..., i] · f_i.
 */
export class SpatialWeightedSum extends tf.layers.Layer {
  static className = 'SpatialWeightedSum';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [weights, ...features] = inputs as tf.Tensor4D[];
    return tf.tidy(() => {
      const ws = tf.split(weights, features.length, 3);
      return features.reduce<tf.Tensor>((acc, f, i) => (i === 0 ? tf.mul(ws[0], f) : tf.add(acc, tf.mul(ws[i], f))), tf.scalar(0));
    });
  }
}
tf.serialization.registerClass(SpatialWeightedSum);
