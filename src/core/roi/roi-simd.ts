import { encodeModule, forLoop, ifElse, ifThen, op, T, type Bytes, type MemorySpec, type WasmFunction } from './wasm-asm';
import type { RoiPlan } from './roi-plan';

/**
 * The RoI kernels as WebAssembly SIMD loops over a RoiPlan, channels
 * innermost (NHWC rows are contiguous), four channels per instruction:
 *
 * - `wsumGather`: out[o, :] = sum_t w[t] * src[idx[t], :]   (RoIAlign forward)
 * - `wsumScatter`: dx[idx[t], :] += w[t] * dy[o, :]          (RoIAlign backward)
 * - `maxGather`: out[o, c] = max_t src[idx[t], c]                (RoIPool forward)
 * - `maxScatter`: dx at the first maximum of each bin and channel += dy (RoIPool backward;
 *   torchvision's argmax, found again rather than stored)
 *
 * One pass over bins x taps x channels, no intermediate tensor. Plain JS
 * loops over the same plan ran ~4 ns per multiply-add here (~0.6 s for 1k
 * RoIs x 7x7 x 256 channels); these run several multiply-adds per ns.
 */

const FLT_MAX = 3.4028234663852886e38;
const { get, set, tee, i32 } = op;
const ZERO = op.v128Const([0, 0, 0, 0]);
/** `base + index * 4` */
const at4 = (base: number, index: number): Bytes => [...get(base), ...get(index), ...i32(2), ...op.shl, ...op.add];

/** Locals after `params` i32 parameters, allocated by name. */
class Locals {
  readonly types: number[] = [];
  constructor(private readonly params: number) {}
  add(type: number): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
  fn(name: string, body: Bytes): WasmFunction {
    return { name, params: this.params, locals: this.types, body };
  }
}

/**
 * The loop nest every kernel shares: for each bin, its taps t0..t1 and its row
 * `row` of the output (or of dy); then the channels in chunks of 16 (four
 * vectors held in registers across all taps), then of 4, then one by one.
 * `chunk(width, cb)` emits the work for one chunk starting at byte `cb`.
 */
function binLoops(L: Locals, C: number, nBins: number, starts: number, rowBase: number, chunk: (lanes: 16 | 4 | 1, cb: number, t0: number, t1: number, row: number, rowBytes: number) => Bytes, perBin: (t0: number, t1: number, row: number, rowBytes: number, rest: Bytes) => Bytes = (_a, _b, _c, _d, rest) => rest): Bytes {
  const [bin, binEnd, row, t0, t1, cb, cEnd, rowBytes, v16, v4] = Array.from({ length: 10 }, () => L.add(T.i32));
  const rest = [
    ...forLoop(cb, cEnd, i32(0), get(v16), 64, chunk(16, cb, t0, t1, row, rowBytes)),
    ...forLoop(cb, cEnd, get(v16), get(v4), 16, chunk(4, cb, t0, t1, row, rowBytes)),
    ...forLoop(cb, cEnd, get(v4), get(rowBytes), 4, chunk(1, cb, t0, t1, row, rowBytes)),
  ];
  return [
    ...get(C), ...i32(2), ...op.shl, ...set(rowBytes),
    ...get(C), ...i32(-16), ...op.and, ...i32(2), ...op.shl, ...set(v16),
    ...get(C), ...i32(-4), ...op.and, ...i32(2), ...op.shl, ...set(v4),
    ...forLoop(bin, binEnd, i32(0), get(nBins), 1, [
      ...get(rowBase), ...get(bin), ...get(rowBytes), ...op.mul, ...op.add, ...set(row),
      ...at4(starts, bin), ...op.i32Load, ...set(t0),
      ...at4(starts, bin), ...op.i32LoadAt(4), ...set(t1),
      ...perBin(t0, t1, row, rowBytes, rest),
    ]),
  ];
}

/** `for (t = t0; t < t1; t++) body` with `tap` = base + idx[t] * rowBytes + cb. */
function tapLoop(L: Locals, t0: number, t1: number, idx: number, base: number, rowBytes: number, cb: number, body: (t: number, tap: number) => Bytes): Bytes {
  const [t, tEnd, tap] = [L.add(T.i32), L.add(T.i32), L.add(T.i32)];
  return forLoop(t, tEnd, get(t0), get(t1), 1, [
    ...get(base), ...at4(idx, t), ...op.i32Load, ...get(rowBytes), ...op.mul, ...op.add, ...get(cb), ...op.add, ...set(tap),
    ...body(t, tap),
  ]);
}

/** (C, nBins, starts, idx, w, src, out): out[o, :] = sum_t w[t] * src[idx[t], :], accumulated from 0 in tap order. */
function wsumGather(): WasmFunction {
  const L = new Locals(7);
  const [C, nBins, starts, idx, w, src, out] = [0, 1, 2, 3, 4, 5, 6];
  const acc = [L.add(T.v128), L.add(T.v128), L.add(T.v128), L.add(T.v128)];
  const [wv, accS] = [L.add(T.v128), L.add(T.f32)];
  const body = binLoops(L, C, nBins, starts, out, (lanes, cb, t0, t1, row, rowBytes) => {
    const n = lanes / 4;
    if (lanes === 1) {
      return [
        ...op.f32(0), ...set(accS),
        ...tapLoop(L, t0, t1, idx, src, rowBytes, cb, (t, tap) => [
          ...get(accS), ...get(tap), ...op.f32Load, ...at4(w, t), ...op.f32Load, ...op.f32Mul, ...op.f32Add, ...set(accS),
        ]),
        ...get(row), ...get(cb), ...op.add, ...get(accS), ...op.f32Store,
      ];
    }
    const lanesOf = Array.from({ length: n }, (_, j) => j);
    return [
      ...lanesOf.flatMap((j) => [...ZERO, ...set(acc[j])]),
      ...tapLoop(L, t0, t1, idx, src, rowBytes, cb, (t, tap) => [
        ...at4(w, t), ...op.f32Load, ...op.f32x4Splat, ...set(wv),
        ...lanesOf.flatMap((j) => [...get(acc[j]), ...get(tap), ...op.v128LoadAt(16 * j), ...get(wv), ...op.f32x4Mul, ...op.f32x4Add, ...set(acc[j])]),
      ]),
      ...lanesOf.flatMap((j) => [...get(row), ...get(cb), ...op.add, ...get(acc[j]), ...op.v128StoreAt(16 * j)]),
    ];
  });
  return L.fn('wsumGather', body);
}

/** (C, nBins, starts, idx, w, dy, dx): dx[idx[t], :] += w[t] * dy[o, :]; dx zeroed by the caller. */
function wsumScatter(): WasmFunction {
  const L = new Locals(7);
  const [C, nBins, starts, idx, w, dy, dx] = [0, 1, 2, 3, 4, 5, 6];
  const g = [L.add(T.v128), L.add(T.v128), L.add(T.v128), L.add(T.v128)];
  const [wv, gS] = [L.add(T.v128), L.add(T.f32)];
  const body = binLoops(L, C, nBins, starts, dy, (lanes, cb, t0, t1, row, rowBytes) => {
    if (lanes === 1) {
      return [
        ...get(row), ...get(cb), ...op.add, ...op.f32Load, ...set(gS),
        ...tapLoop(L, t0, t1, idx, dx, rowBytes, cb, (t, tap) => [
          ...get(tap), ...get(tap), ...op.f32Load, ...get(gS), ...at4(w, t), ...op.f32Load, ...op.f32Mul, ...op.f32Add, ...op.f32Store,
        ]),
      ];
    }
    const lanesOf = Array.from({ length: lanes / 4 }, (_, j) => j);
    return [
      ...lanesOf.flatMap((j) => [...get(row), ...get(cb), ...op.add, ...op.v128LoadAt(16 * j), ...set(g[j])]),
      ...tapLoop(L, t0, t1, idx, dx, rowBytes, cb, (t, tap) => [
        ...at4(w, t), ...op.f32Load, ...op.f32x4Splat, ...set(wv),
        ...lanesOf.flatMap((j) => [...get(tap), ...get(tap), ...op.v128LoadAt(16 * j), ...get(g[j]), ...get(wv), ...op.f32x4Mul, ...op.f32x4Add, ...op.v128StoreAt(16 * j)]),
      ]),
    ];
  });
  return L.fn('wsumScatter', body);
}

/** (C, nBins, starts, idx, src, out): out[o, c] = max_t src[idx[t], c]; NaN never wins (pmax); a bin without taps is 0. */
function maxGather(): WasmFunction {
  const L = new Locals(6);
  const [C, nBins, starts, idx, src, out] = [0, 1, 2, 3, 4, 5];
  const acc = [L.add(T.v128), L.add(T.v128), L.add(T.v128), L.add(T.v128)];
  const [accS, vS] = [L.add(T.f32), L.add(T.f32)];
  const lowest = op.v128Const([0xff7fffff, 0xff7fffff, 0xff7fffff, 0xff7fffff]); // -FLT_MAX bits
  const body = binLoops(
    L, C, nBins, starts, out,
    (lanes, cb, t0, t1, row, rowBytes) => {
      if (lanes === 1) {
        return [
          ...op.f32(-FLT_MAX), ...set(accS),
          ...tapLoop(L, t0, t1, idx, src, rowBytes, cb, (_t, tap) => [
            ...get(tap), ...op.f32Load, ...tee(vS), ...get(accS), ...get(vS), ...get(accS), ...op.f32Gt, ...op.select, ...set(accS),
          ]),
          ...get(row), ...get(cb), ...op.add, ...get(accS), ...op.f32Store,
        ];
      }
      const lanesOf = Array.from({ length: lanes / 4 }, (_, j) => j);
      return [
        ...lanesOf.flatMap((j) => [...lowest, ...set(acc[j])]),
        // pmax(a, b) = a < b ? b : a: the running max moves only for a strictly larger value.
        ...tapLoop(L, t0, t1, idx, src, rowBytes, cb, (_t, tap) => lanesOf.flatMap((j) => [...get(acc[j]), ...get(tap), ...op.v128LoadAt(16 * j), ...op.f32x4Pmax, ...set(acc[j])])),
        ...lanesOf.flatMap((j) => [...get(row), ...get(cb), ...op.add, ...get(acc[j]), ...op.v128StoreAt(16 * j)]),
      ];
    },
    (t0, t1, row, rowBytes, rest) => [...get(t0), ...get(t1), ...op.eq, ...ifElse([...get(row), ...i32(0), ...get(rowBytes), ...op.memFill], rest)],
  );
  return L.fn('maxGather', body);
}

/**
 * (C, nBins, starts, idx, src, dy, dx): the first maximum of each bin and
 * channel found again (strict >, from -FLT_MAX, as the JS kernel and
 * torchvision's argmax), and dx at it += dy; dx zeroed by the caller.
 */
function maxScatter(): WasmFunction {
  const L = new Locals(7);
  const [C, nBins, starts, idx, src, dy, dx] = [0, 1, 2, 3, 4, 5, 6];
  const cur = [L.add(T.v128), L.add(T.v128), L.add(T.v128), L.add(T.v128)];
  const arg = [L.add(T.v128), L.add(T.v128), L.add(T.v128), L.add(T.v128)];
  const [v, m, base, gv] = [L.add(T.v128), L.add(T.v128), L.add(T.v128), L.add(T.v128)];
  const [ai, d] = [L.add(T.i32), L.add(T.i32)];
  const [curS, vS] = [L.add(T.f32), L.add(T.f32)];
  const lowest = op.v128Const([0xff7fffff, 0xff7fffff, 0xff7fffff, 0xff7fffff]);
  /** dx[ai] += value when ai >= 0. */
  const addAt = (value: Bytes): Bytes => [
    ...get(ai), ...i32(0), ...op.geS,
    ...ifThen([...at4(dx, ai), ...set(d), ...get(d), ...get(d), ...op.f32Load, ...value, ...op.f32Add, ...op.f32Store]),
  ];
  // Flat element index of the tap's channel cb/4: (tap address - src) / 4.
  const elemOf = (tap: number): Bytes => [...get(tap), ...get(src), ...op.sub, ...i32(2), ...op.shrU];
  const body = binLoops(L, C, nBins, starts, dy, (lanes, cb, t0, t1, row, rowBytes) => {
    if (lanes === 1) {
      return [
        ...op.f32(-FLT_MAX), ...set(curS), ...i32(-1), ...set(ai),
        ...tapLoop(L, t0, t1, idx, src, rowBytes, cb, (_t, tap) => [
          ...get(tap), ...op.f32Load, ...tee(vS), ...get(curS), ...op.f32Gt,
          ...ifThen([...get(vS), ...set(curS), ...elemOf(tap), ...set(ai)]),
        ]),
        ...addAt([...get(row), ...get(cb), ...op.add, ...op.f32Load]),
      ];
    }
    const lanesOf = Array.from({ length: lanes / 4 }, (_, j) => j);
    return [
      ...lanesOf.flatMap((j) => [...lowest, ...set(cur[j]), ...op.v128Const([-1, -1, -1, -1]), ...set(arg[j])]),
      ...tapLoop(L, t0, t1, idx, src, rowBytes, cb, (_t, tap) => [
        ...elemOf(tap), ...op.i32x4Splat, ...op.v128Const([0, 1, 2, 3]), ...op.i32x4Add, ...set(base),
        ...lanesOf.flatMap((j) => [
          ...get(tap), ...op.v128LoadAt(16 * j), ...tee(v), ...get(cur[j]), ...op.f32x4Gt, ...set(m),
          ...get(v), ...get(cur[j]), ...get(m), ...op.bitselect, ...set(cur[j]),
          ...get(base), ...(j === 0 ? [] : [...op.v128Const([4 * j, 4 * j, 4 * j, 4 * j]), ...op.i32x4Add]),
          ...get(arg[j]), ...get(m), ...op.bitselect, ...set(arg[j]),
        ]),
      ]),
      ...lanesOf.flatMap((j) => [
        ...get(row), ...get(cb), ...op.add, ...op.v128LoadAt(16 * j), ...set(gv),
        ...[0, 1, 2, 3].flatMap((l) => [...get(arg[j]), ...op.i32x4Lane(l), ...set(ai), ...addAt([...get(gv), ...op.f32x4Lane(l)])]),
      ]),
    ];
  });
  return L.fn('maxScatter', body);
}

/** Either family's exports (align: wsumGather, wsumScatter; pool: maxGather, maxScatter); pointer arguments are byte offsets. */
export interface RoiExports {
  wsumGather: (C: number, nBins: number, starts: number, idx: number, w: number, src: number, out: number) => void;
  wsumScatter: (C: number, nBins: number, starts: number, idx: number, w: number, dy: number, dx: number) => void;
  maxGather: (C: number, nBins: number, starts: number, idx: number, src: number, out: number) => void;
  maxScatter: (C: number, nBins: number, starts: number, idx: number, src: number, dy: number, dx: number) => void;
}
type Own = RoiExports & { mem: WebAssembly.Memory };

export type RoiFamily = 'align' | 'pool';

/**
 * The module bytes of one kernel family (exported for the tests). Two
 * modules, each under 4 KB: Chromium compiles a larger one synchronously
 * only off the main thread.
 */
export function roiModuleBytes(family: RoiFamily, memory: MemorySpec = { own: true }): Uint8Array<ArrayBuffer> {
  return encodeModule(family === 'align' ? [wsumGather(), wsumScatter()] : [maxGather(), maxScatter()], memory);
}

function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): WebAssembly.Exports | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
  } catch {
    return null;
  }
}

const own: Partial<Record<RoiFamily, Own | null>> = {};
const hosted = new WeakMap<WebAssembly.Memory, Partial<Record<RoiFamily, RoiExports | null>>>();

/** A family compiled with its own memory (the copying path, for the cpu backend). */
function ownKernels(family: RoiFamily): Own | null {
  if (own[family] === undefined) own[family] = instantiate(roiModuleBytes(family)) as Own | null;
  return own[family] ?? null;
}

/**
 * A family compiled against another module's memory (tfjs-backend-wasm's
 * heap), so the kernels read the tensors and write the output in place.
 * Null where that memory cannot be imported.
 */
export function kernelsIn(memory: WebAssembly.Memory, family: RoiFamily): RoiExports | null {
  let m = hosted.get(memory);
  if (!m) hosted.set(memory, (m = {}));
  if (m[family] === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    m[family] = instantiate(roiModuleBytes(family, { importShared: shared }), { env: { mem: memory } }) as RoiExports | null;
  }
  return m[family] ?? null;
}

/** True where WebAssembly SIMD runs (else the caller uses the JS loops). */
export function simdAvailable(): boolean {
  return ownKernels('align') !== null && ownKernels('pool') !== null;
}

/** Lays out regions of the given byte sizes (16-aligned) in the module's memory, growing it; returns their offsets. */
function layout(k: Own, sizes: number[]): number[] {
  const offsets: number[] = [];
  let end = 0;
  for (const s of sizes) {
    offsets.push(end);
    end += Math.ceil(s / 16) * 16;
  }
  const have = k.mem.buffer.byteLength;
  if (end > have) k.mem.grow(Math.ceil((end - have) / 65536));
  return offsets;
}

/**
 * Runs one kernel in the module's own memory: copies the plan and `inputs`
 * in, zeroes the output when `zero` (the scatters add into it), and returns
 * a view of the output, valid until the next call: copy it out at once.
 */
function runOwn(family: RoiFamily, plan: RoiPlan, inputs: Float32Array[], outLen: number, zero: boolean, call: (k: Own, p: number[]) => void): Float32Array {
  const k = ownKernels(family);
  if (!k) throw new Error('roi kernels: WebAssembly SIMD is not available here');
  const { starts, idx, w } = plan;
  const p = layout(k, [starts.byteLength, idx.byteLength, w.byteLength, ...inputs.map((a) => a.byteLength), outLen * 4]);
  const buf = k.mem.buffer;
  new Int32Array(buf, p[0], starts.length).set(starts);
  new Int32Array(buf, p[1], idx.length).set(idx);
  new Float32Array(buf, p[2], w.length).set(w);
  inputs.forEach((a, j) => new Float32Array(buf, p[3 + j], a.length).set(a));
  const out = new Float32Array(buf, p[3 + inputs.length], outLen);
  if (zero) out.fill(0);
  call(k, p);
  return out;
}

/** RoIAlign forward: [nBins, C] from the features [rows, C]. */
export function simdWeightedGather(plan: RoiPlan, C: number, src: Float32Array): Float32Array {
  return runOwn('align', plan, [src], plan.nBins * C, false, (k, p) => k.wsumGather(C, plan.nBins, p[0], p[1], p[2], p[3], p[4]));
}

/** RoIAlign backward: dx [rows, C] (`dxSize` elements) from dy [nBins, C]. */
export function simdWeightedScatter(plan: RoiPlan, C: number, dy: Float32Array, dxSize: number): Float32Array {
  return runOwn('align', plan, [dy], dxSize, true, (k, p) => k.wsumScatter(C, plan.nBins, p[0], p[1], p[2], p[3], p[4]));
}

/** RoIPool forward: the per-bin, per-channel max (0 for a bin without taps). */
export function simdMaxGather(plan: RoiPlan, C: number, src: Float32Array): Float32Array {
  return runOwn('pool', plan, [src], plan.nBins * C, false, (k, p) => k.maxGather(C, plan.nBins, p[0], p[1], p[3], p[4]));
}

/**
 * RoIPool backward: finds each first maximum again from the features (the
 * forward pass keeps no K x bins x C index array alive between the passes)
 * and sends dy to it.
 */
export function simdMaxScatter(plan: RoiPlan, C: number, src: Float32Array, dy: Float32Array): Float32Array {
  return runOwn('pool', plan, [src, dy], src.length, true, (k, p) => k.maxScatter(C, plan.nBins, p[0], p[1], p[3], p[4], p[5]));
}
