import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-mat-mul';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { clipByValueConfig } from './clip-by-value';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input';
import { maxPoolConfig } from './max-pool';
import { maxPoolGradConfig } from './max-pool-grad';
import { installMissingKernelHints } from './missing-kernel';
import { oneHotConfig } from './one-hot';
import { overrideKernel } from './register';
import { sliceConfig } from './slice';
import { sumConfig } from './sum';
import { tileConfig } from './tile';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

export { explainMissingKernel, installMissingKernelHints, withKernelHint } from './missing-kernel';
export { detectSoftwareRenderer, isSoftwareRenderer, softwareGpuReason, type RendererReport } from './software-renderer';

/**
 * Every kernel this module registers for 'wasm', added where tfjs 4.22 has
 * none and replacing the built-in where it is wrong or slow. See
 * docs/backends-wasm-training.md for how each one computes.
 */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
  unsortedSegmentSumConfig,
  maxPoolConfig,
  sliceConfig,
  sumConfig,
  oneHotConfig,
  clipByValueConfig,
  batchMatMulConfig,
  tileConfig,
];

/**
 * Registers the training kernels for the 'wasm' backend. Call it after
 * importing `@tensorflow/tfjs-backend-wasm` (which registers the built-ins
 * this replaces) and before or after `tf.setBackend('wasm')`; calling it again
 * does nothing.
 *
 * @example
 * await import('@tensorflow/tfjs-backend-wasm');
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * await model.fit(xs, ys, { epochs: 1 }); // conv, pooling and depthwise grads now run on wasm
 */
export function registerWasmTrainingKernels(): void {
  // Registered before the package, ours would be overwritten by its own registrations.
  if (tf.getKernel('Conv2D', 'wasm') == null) {
    throw new Error(
      "registerWasmTrainingKernels: the 'wasm' backend's kernels are not registered yet; import '@tensorflow/tfjs-backend-wasm' first.",
    );
  }
  for (const k of wasmTrainingKernels) overrideKernel(k);
  installMissingKernelHints();
}

/**
 * Names of the kernels `registerWasmTrainingKernels` installs.
 *
 * @example
 * wasmTrainingKernelNames(); // ['Conv2DBackpropFilter', 'Conv2DBackpropInput', ...]
 */
export function wasmTrainingKernelNames(): string[] {
  return wasmTrainingKernels.map((k) => k.kernelName);
}
