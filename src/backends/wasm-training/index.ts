import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { maxPoolGradConfig } from './max-pool-grad';
import { overrideKernel } from './register';

export const wasmTrainingKernels = [conv2DBackpropFilterConfig, conv2DBackpropInputConfig, maxPoolGradConfig];

export function registerWasmTrainingKernels(): void {
  for (const k of wasmTrainingKernels) overrideKernel(k);
}
