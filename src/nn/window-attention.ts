import * as tf from '@tensorflow/tfjs';
import { checkShift, effectiveShift, paddedSize, relativePositionIndexValues, roll2d, shiftedWindowMask, toPair, type Pair } from './swin-geometry';

export interface WindowAttentionArgs {
  /** Heads; the channel count must divide by it. */
  numHeads: number;
  /** Window size M (a number means M × M). */
  windowSize: number | Pair;
  /** Cyclic shift before partitioning, in [0, M) (torchvision: 0 or M // 2). */
  shiftSize?: number | Pair;
  qkvBias?: boolean;
  projBias?: boolean;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * (Shifted) window multi-head self-attention with a learned relative position bias,
 * on `[B, H, W, C]` maps: torchvision's `ShiftedWindowAttention`. The map is padded
 * with zeros on the right and bottom to a multiple of the window (the padded tokens
 * take part in attention, as in torchvision), rolled by -shift, cut into windows;
 * each window runs softmax(QKᵀ/√d + B + mask)V per head; then everything is undone.
 * Where one window covers the whole padded map along an axis the shift along it is
 * dropped, as torchvision does.
 *
 * Weights: `qkv/kernel [C, 3C]`, `qkv/bias`, `proj/kernel [C, C]`, `proj/bias`,
 * `relative_position_bias_table [(2wh-1)(2ww-1), heads]`.
 */
export class WindowAttention extends tf.layers.Layer {
  static className = 'SwinWindowAttention';
  readonly numHeads: number;
  readonly windowSize: Pair;
  readonly shiftSize: Pair;
  readonly qkvBias: boolean;
  readonly projBias: boolean;
  readonly seed: number;
  private qkvKernel!: tf.LayerVariable;
  private qkvB: tf.LayerVariable | null = null;
  private projKernel!: tf.LayerVariable;
  private projB: tf.LayerVariable | null = null;
  private biasTable!: tf.LayerVariable;
  /** Constants made once per layer and freed with it. */
  private consts: { index: tf.Tensor1D; mask: tf.Tensor | null; key: string } | null = null;

  constructor(args: WindowAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    const op = 'WindowAttention';
    if (!Number.isInteger(args.numHeads) || args.numHeads < 1) throw new Error(`${op}: 'numHeads' must be a positive integer, got ${args.numHeads}.`);
    this.numHeads = args.numHeads;
    this.windowSize = toPair(op, 'windowSize', args.windowSize);
    this.shiftSize = checkShift(op, args.shiftSize ?? 0, this.windowSize);
    this.qkvBias = args.qkvBias ?? true;
    this.projBias = args.projBias ?? true;
    this.seed = args.seed ?? 1;
  }

  private mapSize(inputShape: tf.Shape): Pair {
    const [, h, w] = inputShape;
    if (inputShape.length !== 4 || h == null || w == null) {
      throw new Error(`WindowAttention: the input must be a [B, H, W, C] map with known H and W, got [${inputShape}].`);
    }
    return [h, w];
  }

  /** The shift torchvision applies on this map (zero along an axis one window covers). */
  appliedShift(inputShape: tf.Shape): Pair {
    return effectiveShift(this.mapSize(inputShape), this.windowSize, this.shiftSize);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.mapSize(shape);
    const c = shape[3] as number;
    if (c % this.numHeads !== 0) throw new Error(`WindowAttention: the channel count ${c} must divide by 'numHeads' (${this.numHeads}).`);
    // torchvision: trunc_normal(std 0.02) for Linear weights and the bias table, zero biases.
    const init = (k: number) => tf.initializers.truncatedNormal({ stddev: 0.02, seed: this.seed * 10 + k });
    this.qkvKernel = this.addWeight('qkv/kernel', [c, 3 * c], 'float32', init(1));
    if (this.qkvBias) this.qkvB = this.addWeight('qkv/bias', [3 * c], 'float32', tf.initializers.zeros());
    this.projKernel = this.addWeight('proj/kernel', [c, c], 'float32', init(2));
    if (this.projBias) this.projB = this.addWeight('proj/bias', [c], 'float32', tf.initializers.zeros());
    const [wh, ww] = this.windowSize;
    this.biasTable = this.addWeight('relative_position_bias_table', [(2 * wh - 1) * (2 * ww - 1), this.numHeads], 'float32', init(3));
    this.built = true;
  }

  private constants(size: Pair): { index: tf.Tensor1D; mask: tf.Tensor | null } {
    const key = size.join('x');
    if (this.consts && this.consts.key !== key) {
      // Called eagerly on a map of another size: the mask depends on it.
      this.consts.index.dispose();
      this.consts.mask?.dispose();
      this.consts = null;
    }
    if (!this.consts) {
      const shift = effectiveShift(size, this.windowSize, this.shiftSize);
      const n = this.windowSize[0] * this.windowSize[1];
      // Made outside any tidy the first call may run in, so they live as long as the layer.
      const index = tf.keep(tf.tensor1d(relativePositionIndexValues(this.windowSize), 'int32'));
      // [nW, 1, N·N]: broadcast over batch and heads.
      const mask = shift[0] + shift[1] > 0 ? tf.keep(tf.tidy(() => shiftedWindowMask(size, this.windowSize, shift).reshape([-1, 1, n * n]))) : null;
      this.consts = { key, index, mask };
    }
    return this.consts;
  }

  /** The `[heads, N, N]` bias B gathered from the table (differentiable in the table). */
  relativePositionBias(): tf.Tensor3D {
    const n = this.windowSize[0] * this.windowSize[1];
    const index = this.consts?.index;
    return tf.tidy(() => {
      const idx = index ?? tf.tensor1d(relativePositionIndexValues(this.windowSize), 'int32');
      return tf.gather(this.biasTable.read(), idx).reshape([n, n, this.numHeads]).transpose([2, 0, 1]) as tf.Tensor3D;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const [b, h, w, c] = x.shape;
    const size: Pair = [h, w];
    const consts = this.constants(size);
    return tf.tidy(() => {
      const [wh, ww] = this.windowSize;
      const [ph, pw] = paddedSize(size, this.windowSize);
      const [sy, sx] = effectiveShift(size, this.windowSize, this.shiftSize);
      const heads = this.numHeads;
      const hd = c / heads;
      const n = wh * ww;
      const nW = (ph / wh) * (pw / ww);
      let t: tf.Tensor4D = ph > h || pw > w ? tf.pad(x, [[0, 0], [0, ph - h], [0, pw - w], [0, 0]]) : x;
      if (sy || sx) t = roll2d(t, -sy, -sx);
      // Partition: [B·nW·N, C], windows row-major, tokens row-major (see windowPartition).
      const tokens = t.reshape([b * (ph / wh), wh, pw / ww, ww, c]).transpose([0, 2, 1, 3, 4]).reshape([b * nW * n, c]);
      let qkv = tf.matMul(tokens, this.qkvKernel.read());
      if (this.qkvB) qkv = qkv.add(this.qkvB.read());
      // [B·nW, N, 3, heads, hd] → [3, B·nW, heads, N, hd]
      const parts = qkv.reshape([b * nW, n, 3, heads, hd]).transpose([2, 0, 3, 1, 4]).reshape([3, b * nW * heads, n, hd]);
      const [q, k, v] = [0, 1, 2].map((i) => parts.slice([i, 0, 0, 0], [1, -1, -1, -1]).reshape([b * nW * heads, n, hd])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
      let attn = tf.matMul(q.mul(1 / Math.sqrt(hd)), k, false, true); // [B·nW·heads, N, N]
      attn = attn.reshape([b * nW, heads, n, n]).add(this.relativePositionBias());
      if (consts.mask) attn = attn.reshape([b, nW, heads, n * n]).add(consts.mask);
      const weights = tf.softmax(attn.reshape([b * nW * heads, n, n]));
      const out = tf.matMul(weights, v).reshape([b * nW, heads, n, hd]).transpose([0, 2, 1, 3]).reshape([b * nW * n, c]);
      let y = tf.matMul(out, this.projKernel.read());
      if (this.projB) y = y.add(this.projB.read());
      // Reverse windows, then the roll, then the padding.
      let m = y.reshape([b * (ph / wh), pw / ww, wh, ww, c]).transpose([0, 2, 1, 3, 4]).reshape([b, ph, pw, c]) as tf.Tensor4D;
      if (sy || sx) m = roll2d(m, sy, sx);
      if (ph > h || pw > w) m = m.slice([0, 0, 0, 0], [b, h, w, c]);
      return m;
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  /**
   * Multiply-accumulates for one image, on the padded map of L tokens: qkv L·C·3C,
   * QKᵀ and AV L·M²·C each (per window N²·C, nW windows), proj L·C². The 2M²hwC
   * term of the paper's Ω(W-MSA) is the middle two.
   */
  countMacs(inputShape: tf.Shape): number {
    const [ph, pw] = paddedSize(this.mapSize(inputShape), this.windowSize);
    const c = inputShape[3] as number;
    const l = ph * pw;
    const n = this.windowSize[0] * this.windowSize[1];
    return l * c * 3 * c + 2 * l * n * c + l * c * c;
  }

  override dispose(): tf.serialization.ConfigDict & { refCountAfterDispose: number; numDisposedVariables: number } {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0 && this.consts) {
      this.consts.index.dispose();
      this.consts.mask?.dispose();
      this.consts = null;
    }
    return result as never;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      windowSize: this.windowSize,
      shiftSize: this.shiftSize,
      qkvBias: this.qkvBias,
      projBias: this.projBias,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(WindowAttention);
