import * as tf from '@tensorflow/tfjs';

/**
 * The small slice of tfjs-backend-wasm's `BackendWasm` the training kernels
 * touch. Declared here rather than imported so this module type-checks and
 * loads without the wasm package (it is imported lazily by `src/backend.ts`).
 */
export interface WasmBackendLike {
  wasm: {
    HEAPU8: Uint8Array;
    cwrap: (name: string, ret: null | 'number', args: string[]) => (...a: number[]) => void;
    tfjs: { registerTensor: (id: number, size: number, offset: number) => void; disposeData: (id: number) => void };
  };
  dataIdMap: {
    get: (dataId: tf.DataId) => { id: number; memoryOffset: number; shape: number[]; dtype: tf.DataType; refCount: number };
    set: (dataId: tf.DataId, v: unknown) => void;
    delete: (dataId: tf.DataId) => void;
  };
  dataIdNextNumber: number;
  makeOutput: (shape: number[], dtype: tf.DataType, memoryOffset?: number) => tf.TensorInfo;
  disposeData: (dataId: tf.DataId) => boolean;
  typedArrayFromHeap: (info: tf.TensorInfo) => Float32Array | Int32Array | Uint8Array;
}

export type KernelArgs = {
  inputs: Record<string, tf.TensorInfo>;
  attrs?: Record<string, unknown>;
  backend: unknown;
};

export function asWasm(backend: unknown): WasmBackendLike {
  return backend as WasmBackendLike;
}

/**
 * A Float32Array view of a tensor's bytes inside wasm memory. Views die when
 * the heap grows, so take them after every allocation of the kernel.
 */
export function f32(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId);
  return new Float32Array(backend.wasm.HEAPU8.buffer, memoryOffset, tf.util.sizeFromShape(info.shape));
}

/** A fresh float32 tensor in wasm memory; contents are whatever malloc gave. */
export function alloc(backend: WasmBackendLike, shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo {
  return backend.makeOutput(shape, dtype);
}

export function release(backend: WasmBackendLike, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/**
 * A tensor that aliases `count` elements of `base` starting at element
 * `offset`, without copying: lets a matmul read one chunk of a larger buffer.
 * Release it with `releaseView`, never `release` (that would free `base`).
 */
export function makeView(backend: WasmBackendLike, base: tf.TensorInfo, offset: number, shape: number[]): tf.TensorInfo {
  const baseOffset = backend.dataIdMap.get(base.dataId).memoryOffset;
  const bytesPer = base.dtype === 'bool' ? 1 : 4;
  const memoryOffset = baseOffset + offset * bytesPer;
  const id = backend.dataIdNextNumber++;
  const dataId = { id };
  backend.dataIdMap.set(dataId, { id, memoryOffset, shape, dtype: base.dtype, refCount: 1 });
  backend.wasm.tfjs.registerTensor(id, tf.util.sizeFromShape(shape), memoryOffset);
  return { dataId, shape, dtype: base.dtype };
}

export function releaseView(backend: WasmBackendLike, view: tf.TensorInfo): void {
  const { id } = backend.dataIdMap.get(view.dataId);
  // dispose_data also drops any XNNPack operator cached for this id.
  backend.wasm.tfjs.disposeData(id);
  backend.dataIdMap.delete(view.dataId);
}

/** Runs another kernel registered for 'wasm' (the built-in or ours) on TensorInfos. */
export function runWasmKernel(
  name: string,
  backend: WasmBackendLike,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (k == null) throw new Error(`wasm-training: the wasm backend has no '${name}' kernel to build on.`);
  return k.kernelFunc({ inputs, attrs, backend } as never) as tf.TensorInfo;
}

const wrapped = new WeakMap<object, Map<string, (...a: number[]) => void>>();

/** `cwrap` of an exported wasm function taking `argc` numbers, cached per module. */
export function wasmFn(backend: WasmBackendLike, name: string, argc: number): (...a: number[]) => void {
  let m = wrapped.get(backend.wasm);
  if (!m) wrapped.set(backend.wasm, (m = new Map()));
  let f = m.get(name);
  if (!f) {
    f = backend.wasm.cwrap(name, null, new Array(argc).fill('number'));
    m.set(name, f);
  }
  return f;
}
