import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';

export interface DeformConv2dOptions {
  /** `[Cout]`, added to every output pixel. */
  bias?: tf.Tensor1D;
  /** DCN v2's modulation `[B, outH, outW, offsetGroups·kh·kw]`, one scalar per tap (usually a sigmoid). Absent: every tap weighs 1 (DCN v1). */
  mask?: tf.Tensor4D;
  /** n or [sy, sx]. Default 1. */
  stride?: number | [number, number];
  /** Zero padding on every side, n or [ph, pw], as torchvision (symmetric). Default 0. */
  padding?: number | [number, number];
  /** n or [dy, dx]. Default 1. */
  dilation?: number | [number, number];
  /** Convolution groups: input and output channels split into this many independent convolutions. Default 1. */
  groups?: number;
  /** Offset groups: input channels split into this many groups, each with its own offsets (and mask). Default: read from the offset's channels. */
  offsetGroups?: number;
}

/** A checked deformConv2d call: the geometry every kernel needs. */
export interface DeformGeometry {
  B: number;
  H: number;
  W: number;
  C: number;
  kh: number;
  kw: number;
  outH: number;
  outW: number;
  sy: number;
  sx: number;
  py: number;
  px: number;
  dy: number;
  dx: number;
  groups: number;
  offsetGroups: number;
  cout: number;
}

const describe = (t: unknown) => (t instanceof tf.Tensor ? `shape [${t.shape}]` : typeof t);

function pair(op: string, arg: string, v: unknown, min: number): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;
  const what = `${min === 0 ? 'a whole number >= 0' : 'a whole number >= 1'} or a pair of them`;
  if (Array.isArray(v)) {
    if (v.length !== 2 || !ok(v[0]) || !ok(v[1])) fail(op, arg, what, JSON.stringify(v));
    return [v[0], v[1]];
  }
  if (!ok(v)) fail(op, arg, what, String(v));
  return [v, v];
}

const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/**
 * Checks input, offset, filter and options against each other (torchvision's
 * deform_conv2d checks, in tfjs's NHWC layout) and returns the geometry.
 */
export function parseDeformCall(op: string, input: tf.Tensor4D, offset: tf.Tensor4D, filter: tf.Tensor4D, options: DeformConv2dOptions): DeformGeometry {
  if (typeof options !== 'object' || options === null) fail(op, 'options', 'an object {bias?, mask?, stride?, padding?, dilation?, groups?, offsetGroups?}', String(options));
  if (!(input instanceof tf.Tensor) || input.rank !== 4) fail(op, 'input', 'a [batch, height, width, channels] tensor (NHWC)', describe(input));
  if (!(filter instanceof tf.Tensor) || filter.rank !== 4) fail(op, 'filter', 'a [kh, kw, Cin/groups, Cout] tensor, as tf.conv2d', describe(filter));
  if (!(offset instanceof tf.Tensor) || offset.rank !== 4) fail(op, 'offset', 'a [batch, outH, outW, 2·offsetGroups·kh·kw] tensor', describe(offset));
  const [B, H, W, C] = input.shape;
  const [kh, kw, cinPerGroup, cout] = filter.shape;
  const [sy, sx] = pair(op, 'stride', options.stride ?? 1, 1);
  const [py, px] = pair(op, 'padding', options.padding ?? 0, 0);
  const [dy, dx] = pair(op, 'dilation', options.dilation ?? 1, 1);
  const groups = options.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) fail(op, 'groups', 'a whole number >= 1', String(groups));
  if (C % groups !== 0 || cout % groups !== 0) {
    fail(op, 'groups', `a divisor of both the input channels (${C}) and the filter's output channels (${cout}) (allowed: ${divisors(C).filter((d) => cout % d === 0).join(', ')})`, String(groups));
  }
  if (cinPerGroup * groups !== C) {
    fail(op, 'filter', `[kh, kw, Cin/groups = ${C / groups}, Cout] for ${C} input channels in ${groups} group(s)`, `shape [${filter.shape}]`);
  }
  const outH = Math.floor((H + 2 * py - (dy * (kh - 1) + 1)) / sy) + 1;
  const outW = Math.floor((W + 2 * px - (dx * (kw - 1) + 1)) / sx) + 1;
  if (outH < 1 || outW < 1) fail(op, 'input', `at least as large as the dilated kernel (${dy * (kh - 1) + 1}x${dx * (kw - 1) + 1}) after padding`, `shape [${input.shape}]`);
  const K = kh * kw;
  const offCh = offset.shape[3];
  const offsetGroups = options.offsetGroups ?? offCh / (2 * K);
  if (typeof offsetGroups !== 'number' || !Number.isInteger(offsetGroups) || offsetGroups < 1 || C % offsetGroups !== 0) {
    const allowed = divisors(C).map((g) => 2 * g * K).join(', ');
    if (options.offsetGroups === undefined) fail(op, 'offset', `[${B}, ${outH}, ${outW}, 2·offsetGroups·${kh}·${kw}] with offsetGroups dividing ${C} (last dim one of ${allowed})`, `shape [${offset.shape}]`);
    fail(op, 'offsetGroups', `a divisor of the input channels ${C} (allowed: ${divisors(C).join(', ')})`, String(offsetGroups));
  }
  const want = [B, outH, outW, 2 * offsetGroups * K];
  if (offset.shape.some((d, i) => d !== want[i])) fail(op, 'offset', `[${want}] ([batch, outH, outW, 2·offsetGroups·kh·kw])`, `shape [${offset.shape}]`);
  const { mask, bias } = options;
  if (mask !== undefined) {
    const wantMask = [B, outH, outW, offsetGroups * K];
    if (!(mask instanceof tf.Tensor) || mask.rank !== 4 || mask.shape.some((d, i) => d !== wantMask[i])) {
      fail(op, 'mask', `[${wantMask}] ([batch, outH, outW, offsetGroups·kh·kw])`, describe(mask));
    }
  }
  if (bias !== undefined && (!(bias instanceof tf.Tensor) || bias.rank !== 1 || bias.shape[0] !== cout)) {
    fail(op, 'bias', `a [${cout}] tensor (one value per output channel)`, describe(bias));
  }
  return { B, H, W, C, kh, kw, outH, outW, sy, sx, py, px, dy, dx, groups, offsetGroups, cout };
}
