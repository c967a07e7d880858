import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { seededValues } from '../../../src/util/random';
import { registerWasmTrainingKernels } from '../../../src/backends/wasm-training';

/**
 * Shared harness: run the same computation on tfjs's CPU backend (the
 * reference) and on 'wasm' with our kernels, and compare. Inputs are plain
 * arrays so each backend builds its own tensors.
 */
export async function useWasmWithKernels(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.ready();
}

export async function onBackend(name: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(name);
  const before = tf.memory().numTensors;
  // The backend's own buffer count also sees the scratch buffers a kernel
  // allocates in wasm memory behind the engine's back (patches, padded copies).
  const buffers = () => (tf.backend() as unknown as { numDataIds: () => number }).numDataIds();
  const buffersBefore = buffers();
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const data = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  // Every kernel under test must free what it allocates.
  expect(tf.memory().numTensors).toBe(before);
  expect(buffers()).toBe(buffersBefore);
  return data;
}

/** Runs `fn` on 'cpu' and on 'wasm' and returns [cpu, wasm] outputs. */
export async function cpuAndWasm(fn: () => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const cpu = await onBackend('cpu', fn);
  const wasm = await onBackend('wasm', fn);
  return [cpu, wasm];
}

/**
 * Norm-wise relative error max|a-b| / max|b| (b = CPU reference), the measure
 * the 1e-4 bound is stated in; an all-zero reference needs exact zeros.
 */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

export function expectClose(wasm: ArrayLike<number>, cpu: ArrayLike<number>, tol = 1e-4): void {
  expect(relErr(wasm, cpu)).toBeLessThanOrEqual(tol);
}

/** Deterministic values in [-1, 1) from the course's one seeded generator, so failures reproduce. */
export const randomValues = seededValues;

export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/**
 * Runs `fn` with tfjs's built-in wasm kernel `name` in place of ours, so a
 * test can show the built-in's bug next to the fix.
 */
export async function withBuiltIn<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const { originalKernel, originalKernelConfig } = await import('../../../src/backends/wasm-training/register');
  const builtIn = originalKernelConfig(name);
  if (!builtIn) throw new Error(`no built-in '${name}' was replaced`);
  await tf.setBackend('wasm');
  originalKernel(name, tf.backend()); // runs its setup (cwrap) on this backend
  const ours = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...builtIn, setupFunc: undefined });
  try {
    return await fn();
  } finally {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(ours);
  }
}
