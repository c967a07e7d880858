import * as tf from '@tensorflow/tfjs';
import type { RoiPlan } from './roi-plan';
import { kernelsIn, simdMaxGather, simdMaxScatter, simdWeightedGather, simdWeightedScatter, type RoiExports, type RoiFamily } from './roi-simd';

/**
 * The direct RoI kernels as tfjs kernels of the `cpu` and `wasm` backends
 * (both keep tensors in CPU-reachable memory), with their gradients
 * registered, so `tf.grad` and `tf.profile` see `CourseRoiAlign` /
 * `CourseRoiPool` like any built-in op. The math is in roi-simd.ts.
 */
export const ROI_ALIGN = 'CourseRoiAlign';
export const ROI_ALIGN_GRAD = 'CourseRoiAlignGrad';
export const ROI_POOL = 'CourseRoiPool';
export const ROI_POOL_GRAD = 'CourseRoiPoolGrad';
export const ROI_KERNEL_BACKENDS = ['cpu', 'wasm'] as const;

export interface RoiKernelAttrs {
  plan: RoiPlan;
  /** [K, pooledH, pooledW, C] */
  outShape: number[];
  /** The features' shape [B, H, W, C]. */
  inShape: number[];
}

/** The cpu backend's read/write, and the wasm backend's heap (declared, not imported: core does not load the wasm package). */
interface HostBackend {
  readSync(dataId: tf.DataId): tf.TypedArray;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
  makeOutput?: (shape: number[], dtype: tf.DataType) => tf.TensorInfo;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } };
  wasm?: { HEAPU8: Uint8Array; _malloc(n: number): number; _free(p: number): void; asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

/** One kernel: which family, which float32 inputs, the output shape, whether the output starts at 0, and the call. */
interface Spec {
  family: RoiFamily;
  inputs: string[];
  outShape: (a: RoiKernelAttrs) => number[];
  zero: boolean;
  run: (k: RoiExports, C: number, nBins: number, plan: [number, number, number], ins: number[], out: number) => void;
  /** The same through the copying path (cpu). */
  copy: (a: RoiKernelAttrs, ins: Float32Array[]) => Float32Array;
}

const sizeOf = (s: number[]) => s.reduce((p, q) => p * q, 1);

/**
 * tfjs-backend-wasm: the kernels compiled against its memory read the inputs
 * and write the output tensor in place; only the plan is copied in.
 */
function runInWasmHeap(b: HostBackend, spec: Spec, inputs: tf.TensorInfo[], a: RoiKernelAttrs): tf.TensorInfo | null {
  const memory = b.wasm?.asm?.memory ?? b.wasm?.wasmMemory;
  if (!b.wasm || !b.makeOutput || !memory || inputs.some((i) => i.dtype !== 'float32')) return null;
  const k = kernelsIn(memory, spec.family);
  if (!k) return null;
  const { starts, idx, w } = a.plan;
  const wasm = b.wasm;
  const ptrs = [starts, idx, w].map((arr) => wasm._malloc(Math.max(4, arr.byteLength)));
  try {
    const shape = spec.outShape(a);
    const out = b.makeOutput(shape, 'float32');
    // Views after every allocation: the heap may have grown.
    const buf = memory.buffer;
    new Int32Array(buf, ptrs[0], starts.length).set(starts);
    new Int32Array(buf, ptrs[1], idx.length).set(idx);
    new Float32Array(buf, ptrs[2], w.length).set(w);
    const o = b.dataIdMap.get(out.dataId).memoryOffset;
    if (spec.zero) new Float32Array(buf, o, sizeOf(shape)).fill(0);
    spec.run(k, a.inShape[3], a.plan.nBins, ptrs as [number, number, number], inputs.map((i) => b.dataIdMap.get(i.dataId).memoryOffset), o);
    return out;
  } finally {
    for (const p of ptrs) wasm._free(p);
  }
}

/**
 * Through the module's own memory, inputs copied in and the output out: the
 * cpu backend, and the wasm backend where its heap cannot be imported.
 */
function runCopying(b: HostBackend, spec: Spec, inputs: tf.TensorInfo[], a: RoiKernelAttrs): tf.TensorInfo {
  const ins = inputs.map((info) => {
    const v = b.readSync(info.dataId);
    return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
  });
  const values = spec.copy(a, ins);
  if (b.wasm && b.makeOutput) {
    const out = b.makeOutput(spec.outShape(a), 'float32');
    new Float32Array(b.wasm.HEAPU8.buffer, b.dataIdMap.get(out.dataId).memoryOffset, values.length).set(values);
    return out;
  }
  return b.makeTensorInfo(spec.outShape(a), 'float32', values.slice());
}

/** For tests: run the wasm backend's kernels through the copying path, as where its heap cannot be imported. */
export function setWasmHeapKernels(on: boolean): void {
  inHeap = on;
}
let inHeap = true;

const SPECS: Record<string, Spec> = {
  [ROI_ALIGN]: {
    family: 'align', inputs: ['x'], outShape: (a) => a.outShape, zero: false,
    run: (k, C, n, [s, i, w], [x], out) => k.wsumGather(C, n, s, i, w, x, out),
    copy: (a, [x]) => simdWeightedGather(a.plan, a.inShape[3], x),
  },
  [ROI_ALIGN_GRAD]: {
    family: 'align', inputs: ['dy'], outShape: (a) => a.inShape, zero: true,
    run: (k, C, n, [s, i, w], [dy], dx) => k.wsumScatter(C, n, s, i, w, dy, dx),
    copy: (a, [dy]) => simdWeightedScatter(a.plan, a.inShape[3], dy, sizeOf(a.inShape)),
  },
  [ROI_POOL]: {
    family: 'pool', inputs: ['x'], outShape: (a) => a.outShape, zero: false,
    run: (k, C, n, [s, i], [x], out) => k.maxGather(C, n, s, i, x, out),
    copy: (a, [x]) => simdMaxGather(a.plan, a.inShape[3], x),
  },
  [ROI_POOL_GRAD]: {
    family: 'pool', inputs: ['x', 'dy'], outShape: (a) => a.inShape, zero: true,
    run: (k, C, n, [s, i], [x, dy], dx) => k.maxScatter(C, n, s, i, x, dy, dx),
    copy: (a, [x, dy]) => simdMaxScatter(a.plan, a.inShape[3], x, dy),
  },
};

function kernel(kernelName: string, backendName: string): tf.KernelConfig {
  const spec = SPECS[kernelName];
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as HostBackend;
      const a = attrs as unknown as RoiKernelAttrs;
      const ins = spec.inputs.map((n) => inputs[n] as tf.TensorInfo);
      return (backendName === 'wasm' && inHeap ? runInWasmHeap(b, spec, ins, a) : null) ?? runCopying(b, spec, ins, a);
    },
  };
}

let registered = false;

/** Registers the four kernels and two gradients (once). */
export function registerRoiKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of ROI_KERNEL_BACKENDS) {
    for (const name of Object.keys(SPECS)) if (!tf.getKernel(name, backendName)) tf.registerKernel(kernel(name, backendName));
  }
  const attrsOf = (attrs: tf.NamedAttrMap | undefined) => attrs as tf.NamedAttrMap;
  if (!tf.getGradient(ROI_ALIGN)) {
    tf.registerGradient({
      kernelName: ROI_ALIGN,
      gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(ROI_ALIGN_GRAD, { dy: dy as tf.Tensor }, attrsOf(attrs)) as tf.Tensor }),
    });
  }
  if (!tf.getGradient(ROI_POOL)) {
    tf.registerGradient({
      kernelName: ROI_POOL,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => ({ x: () => tf.engine().runKernel(ROI_POOL_GRAD, { x: saved[0], dy: dy as tf.Tensor }, attrsOf(attrs)) as tf.Tensor }),
    });
  }
}

/** Runs the forward kernel on the current backend (one of ROI_KERNEL_BACKENDS). */
export function runRoiKernel(reduce: 'weightedSum' | 'max', features: tf.Tensor4D, attrs: RoiKernelAttrs): tf.Tensor4D {
  registerRoiKernels();
  return tf.engine().runKernel(reduce === 'max' ? ROI_POOL : ROI_ALIGN, { x: features }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
