/**
 * A very small WebAssembly encoder: just what the RoI kernels need (i32/f32
 * scalars, 128-bit SIMD, counted loops, one exported memory). The module is a
 * few hundred bytes built at first use, so the repo ships no binary and needs
 * no toolchain; the encoding follows the WebAssembly core spec (binary format,
 * sections 1, 3, 5, 7, 10) and the fixed-width SIMD proposal's opcodes.
 */

export type Bytes = number[];

/** Unsigned LEB128. */
export function uleb(v: number): Bytes {
  const out: Bytes = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(v: number): Bytes {
  const out: Bytes = [];
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const name = (s: string): Bytes => vec(Array.from(new TextEncoder().encode(s), (b) => [b]));
const section = (id: number, body: Bytes): Bytes => [id, ...uleb(body.length), ...body];

export const T = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;

const simd = (op: number, ...rest: Bytes): Bytes => [0xfd, ...uleb(op), ...rest];
const memarg = (align: number, offset = 0): Bytes => [...uleb(align), ...uleb(offset)];

/** Instructions, each as its byte sequence (operands first on the stack, as in the text format). */
export const op = {
  get: (i: number): Bytes => [0x20, ...uleb(i)],
  set: (i: number): Bytes => [0x21, ...uleb(i)],
  i32: (v: number): Bytes => [0x41, ...sleb(v)],
  f32: (v: number): Bytes => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  eq: [0x46],
  geS: [0x4e],
  ltS: [0x48],
  shrU: [0x76],
  i32Load: [0x28, ...memarg(2)],
  i32LoadAt: (offset: number): Bytes => [0x28, ...memarg(2, offset)],
  i32Store: [0x36, ...memarg(2)],
  f32Load: [0x2a, ...memarg(2)],
  f32Store: [0x38, ...memarg(2)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32Gt: [0x5e],
  /** memory.fill (bulk memory): dest, byte value, length. */
  memFill: [0xfc, ...uleb(11), 0x00],
  select: [0x1b],
  tee: (i: number): Bytes => [0x22, ...uleb(i)],
  v128Load: simd(0x00, ...memarg(4)),
  v128Store: simd(0x0b, ...memarg(4)),
  /** v128.load / store at a constant byte offset from the address. */
  v128LoadAt: (offset: number): Bytes => simd(0x00, ...memarg(4, offset)),
  v128StoreAt: (offset: number): Bytes => simd(0x0b, ...memarg(4, offset)),
  i32x4Lane: (lane: number): Bytes => simd(0x1b, lane),
  f32x4Lane: (lane: number): Bytes => simd(0x1f, lane),
  f32x4Pmax: simd(0xeb),
  v128Const: (lanes: [number, number, number, number]): Bytes => simd(0x0c, ...new Uint8Array(new Int32Array(lanes).buffer)),
  i32x4Splat: simd(0x11),
  f32x4Splat: simd(0x13),
  f32x4Gt: simd(0x44),
  bitselect: simd(0x52),
  i32x4Add: simd(0xae),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
};

/** `if (cond) { then }`, cond already on the stack. */
export function ifThen(then: Bytes): Bytes {
  return [0x04, 0x40, ...then, 0x0b];
}

/** `if (cond) { a } else { b }`, cond already on the stack. */
export function ifElse(a: Bytes, b: Bytes): Bytes {
  return [0x04, 0x40, ...a, 0x05, ...b, 0x0b];
}

/**
 * `for (i = from; i < to; i += step) body` with i32 locals; `from`, `to`
 * push one i32 each and are evaluated once (to is stored in local `end`).
 */
export function forLoop(i: number, end: number, from: Bytes, to: Bytes, step: number, body: Bytes): Bytes {
  return [
    ...from, ...op.set(i),
    ...to, ...op.set(end),
    0x02, 0x40, // block
    0x03, 0x40, // loop
    ...op.get(i), ...op.get(end), ...op.geS, 0x0d, 0x01, // br_if 1 when i >= end
    ...body,
    ...op.get(i), ...op.i32(step), ...op.add, ...op.set(i),
    0x0c, 0x00, // br 0
    0x0b, 0x0b,
  ];
}

export interface WasmFunction {
  name: string;
  params: number;
  /** Extra locals after the i32 params, by type. */
  locals: number[];
  body: Bytes;
}

/** Where the module's memory comes from: its own (exported as `mem`), or imported as `env.mem` (shared for a threaded host). */
export type MemorySpec = { own: true } | { importShared: boolean };

/** A module of functions with only i32 parameters and no results, and one memory. */
export function encodeModule(fns: WasmFunction[], memory: MemorySpec = { own: true }): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [0x60, ...vec(Array.from({ length: f.params }, () => [T.i32])), 0x00]);
  const code = fns.map((f) => {
    const groups = f.locals.map((t) => [0x01, t]);
    const body = [...vec(groups), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const own = 'own' in memory;
  // limits: 0x00 min | 0x03 min max shared (a shared memory must declare its maximum: 4 GiB in pages).
  const limits = own || !memory.importShared ? [0x00, ...uleb(1)] : [0x03, ...uleb(1), ...uleb(65536)];
  const exports = fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...(own ? [] : section(2, vec([[...name('env'), ...name('mem'), 0x02, ...limits]]))),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...(own ? section(5, vec([limits])) : []),
    ...section(7, vec(own ? [...exports, [...name('mem'), 0x02, 0x00]] : exports)),
    ...section(10, vec(code)),
  ];
  return new Uint8Array(bytes);
}
