import * as tf from '@tensorflow/tfjs';
import { deformConv2d } from '../core/deform';
import { fail, positiveInt } from './check-options';

export interface DeformConv2DArgs {
  filters: number;
  /** n or [kh, kw]. Default 3. */
  kernelSize?: number | [number, number];
  /** n or [sy, sx]. Default 1. */
  strides?: number | [number, number];
  /** Symmetric zero padding, n or [ph, pw], or 'same' (⌊dilation·(k−1)/2⌋, equal size at stride 1 and odd k) or 'valid' (0). Default 'same'. */
  padding?: number | [number, number] | 'same' | 'valid';
  /** n or [dy, dx]. Default 1. */
  dilationRate?: number | [number, number];
  /** Convolution groups. Default 1. */
  groups?: number;
  /** Offset groups: channel groups with their own offsets. Default 1. */
  offsetGroups?: number;
  /** DCN v2: also learn a modulation mask (sigmoid of extra offset-conv channels). Default false (DCN v1). */
  modulation?: boolean;
  useBias?: boolean;
  seed?: number;
  name?: string;
  trainable?: boolean;
}

type Shape = (number | null)[];
const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

/**
 * A deformable convolution layer (DCN, Dai et al. 2017; DCN v2, Zhu et al.
 * 2019) on `core.deformConv2d`, as torchvision's DeformConv2d is used with a
 * companion offset conv (mmcv's DeformConv2dPack / ModulatedDeformConv2dPack):
 * an ordinary conv with the same kernel, stride, padding and dilation
 * predicts, at every output pixel, 2·G·kh·kw offsets (and, with
 * `modulation`, G·kh·kw mask logits). That conv starts at zero, so before
 * training the layer is exactly a regular convolution (with v2's masks all
 * sigmoid(0) = 0.5) and learns to move its taps from there.
 *
 * Weights: kernel [kh, kw, Cin/groups, filters], bias [filters], offsetKernel
 * [kh, kw, Cin, 2·G·kh·kw (+ G·kh·kw)], offsetBias.
 */
export class DeformConv2D extends tf.layers.Layer {
  static className = 'DeformConv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: number | [number, number] | 'same' | 'valid';
  readonly dilationRate: [number, number];
  readonly groups: number;
  readonly offsetGroups: number;
  readonly modulation: boolean;
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private kernel!: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  private offsetKernel!: tf.LayerVariable;
  private offsetBias!: tf.LayerVariable;

  constructor(args: DeformConv2DArgs) {
    super({ name: args.name, trainable: args.trainable });
    const op = 'DeformConv2D';
    this.filters = positiveInt(op, 'filters', args.filters);
    const ks = pair(args.kernelSize ?? 3);
    this.kernelSize = [positiveInt(op, 'kernelSize', ks[0]), positiveInt(op, 'kernelSize', ks[1])];
    const st = pair(args.strides ?? 1);
    this.strides = [positiveInt(op, 'strides', st[0]), positiveInt(op, 'strides', st[1])];
    const dl = pair(args.dilationRate ?? 1);
    this.dilationRate = [positiveInt(op, 'dilationRate', dl[0]), positiveInt(op, 'dilationRate', dl[1])];
    const pad = args.padding ?? 'same';
    if (!(pad === 'same' || pad === 'valid' || pair(pad as number).every((p) => Number.isInteger(p) && p >= 0))) {
      fail(op, 'padding', "'same', 'valid', a whole number >= 0 or a pair of them", pad);
    }
    this.padding = pad;
    // tfjs's conv2d (the offset conv) refuses strides and dilation both above 1.
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      fail(op, 'dilationRate', '1 when strides > 1 (tf.conv2d, which predicts the offsets, takes one or the other)', this.dilationRate);
    }
    this.groups = positiveInt(op, 'groups', args.groups ?? 1);
    this.offsetGroups = positiveInt(op, 'offsetGroups', args.offsetGroups ?? 1);
    if (this.filters % this.groups !== 0) fail(op, 'groups', `a divisor of filters (${this.filters})`, this.groups);
    this.modulation = args.modulation ?? false;
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  /** Padding in pixels, [ph, pw]. */
  get pad(): [number, number] {
    if (this.padding === 'valid') return [0, 0];
    if (this.padding === 'same') return [Math.floor((this.dilationRate[0] * (this.kernelSize[0] - 1)) / 2), Math.floor((this.dilationRate[1] * (this.kernelSize[1] - 1)) / 2)];
    return pair(this.padding);
  }

  /** Offset-conv output channels: 2·G·K offsets, then G·K mask logits with modulation. */
  private get offsetChannels(): number {
    const K = this.kernelSize[0] * this.kernelSize[1];
    return (this.modulation ? 3 : 2) * this.offsetGroups * K;
  }

  private channelsOf(inputShape: Shape): number {
    if (inputShape.length !== 4 || inputShape[3] == null) fail('DeformConv2D', 'input', 'an image batch [N, H, W, C] with known C', inputShape);
    const c = inputShape[3] as number;
    if (c % this.groups !== 0) fail('DeformConv2D', 'groups', `a divisor of the input channels (${c})`, this.groups);
    if (c % this.offsetGroups !== 0) fail('DeformConv2D', 'offsetGroups', `a divisor of the input channels (${c})`, this.offsetGroups);
    return c;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const c = this.channelsOf(s);
    const [kh, kw] = this.kernelSize;
    // torchvision's DeformConv2d: kaiming_uniform(a = sqrt(5)) on the weight, i.e. U(±1/sqrt(fan_in)); bias U(±1/sqrt(fan_in)).
    const bound = 1 / Math.sqrt(kh * kw * (c / this.groups));
    this.kernel = this.addWeight('kernel', [kh, kw, c / this.groups, this.filters], 'float32', tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: this.seed }));
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: this.seed === undefined ? undefined : this.seed + 1 }));
    }
    // Zero offsets (and mask logits) at the start: the layer begins as a regular convolution.
    this.offsetKernel = this.addWeight('offsetKernel', [kh, kw, c, this.offsetChannels], 'float32', tf.initializers.zeros());
    this.offsetBias = this.addWeight('offsetBias', [this.offsetChannels], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  private outSize(h: number, w: number): [number, number] {
    const [kh, kw] = this.kernelSize;
    const [ph, pw] = this.pad;
    const [sy, sx] = this.strides;
    const [dy, dx] = this.dilationRate;
    return [Math.floor((h + 2 * ph - (dy * (kh - 1) + 1)) / sy) + 1, Math.floor((w + 2 * pw - (dx * (kw - 1) + 1)) / sx) + 1];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s[1] == null || s[2] == null) return [s[0], null, null, this.filters];
    const [oh, ow] = this.outSize(s[1], s[2]);
    return [s[0], oh, ow, this.filters];
  }

  /** The offset conv (same geometry as the deformable one) and the deformable product. */
  countMacs(inputShape: number[] | number[][]): number {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as number[];
    const [n, h, w, c] = s;
    const [oh, ow] = this.outSize(h, w);
    const K = this.kernelSize[0] * this.kernelSize[1];
    return n * oh * ow * K * (c * this.offsetChannels + (c / this.groups) * this.filters);
  }

  /**
   * The offsets `[N, outH, outW, 2·G·kh·kw]` (torchvision's channel order) and,
   * with modulation, the mask `[N, outH, outW, G·kh·kw]` this layer predicts for `x`.
   */
  offsetsAndMask(x: tf.Tensor4D): { offset: tf.Tensor4D; mask?: tf.Tensor4D } {
    return tf.tidy(() => {
      const [ph, pw] = this.pad;
      const raw = tf.add(
        tf.conv2d(x, this.offsetKernel.read() as tf.Tensor4D, this.strides, [[0, 0], [ph, ph], [pw, pw], [0, 0]], 'NHWC', this.dilationRate),
        this.offsetBias.read(),
      ) as tf.Tensor4D;
      if (!this.modulation) return { offset: raw };
      const n = 2 * this.offsetGroups * this.kernelSize[0] * this.kernelSize[1];
      const [offset, logits] = tf.split(raw, [n, n / 2], 3) as [tf.Tensor4D, tf.Tensor4D];
      return { offset, mask: tf.sigmoid(logits) };
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const { offset, mask } = this.offsetsAndMask(x);
      return deformConv2d(x, offset, this.kernel.read() as tf.Tensor4D, {
        bias: this.bias?.read() as tf.Tensor1D | undefined,
        mask,
        stride: this.strides,
        padding: this.pad,
        dilation: this.dilationRate,
        groups: this.groups,
        offsetGroups: this.offsetGroups,
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dilationRate: this.dilationRate,
      groups: this.groups,
      offsetGroups: this.offsetGroups,
      modulation: this.modulation,
      useBias: this.useBias,
      ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
tf.serialization.registerClass(DeformConv2D);
