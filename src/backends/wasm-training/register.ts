import * as tf from '@tensorflow/tfjs';

/**
 * Registers `config` for its backend, replacing a kernel already registered
 * under that name. The replaced config is remembered so a replacement can
 * delegate the cases it does not handle (e.g. string tensors) to it.
 */
const originals = new Map<string, tf.KernelConfig>();

export function overrideKernel(config: tf.KernelConfig): void {
  const existing = tf.getKernel(config.kernelName, config.backendName);
  if (existing?.kernelFunc === config.kernelFunc) return;
  if (existing) {
    if (!originals.has(config.kernelName)) originals.set(config.kernelName, existing);
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

const setUp = new WeakMap<object, Set<string>>();

/**
 * The built-in wasm kernel `name` had before we replaced it, ready to call.
 * Its setup (cwrap of the wasm export) runs on first use, because the engine
 * only runs setup for kernels registered when the backend initialises.
 */
export function originalKernel(name: string, backend: object): tf.KernelFunc | undefined {
  const k = originals.get(name);
  if (!k) return undefined;
  let done = setUp.get(backend);
  if (!done) setUp.set(backend, (done = new Set()));
  if (!done.has(name)) {
    k.setupFunc?.(backend as never);
    done.add(name);
  }
  return k.kernelFunc;
}

/** The built-in config `name` had before we replaced it (tests use it to show the built-in's bug). */
export function originalKernelConfig(name: string): tf.KernelConfig | undefined {
  return originals.get(name);
}
