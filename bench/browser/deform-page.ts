// Bundled by bench/suites/deform-chromium.ts and run in Chromium: core.deformConv2d against
// tf.conv2d on the shared workload (bench/workloads/deform-conv.ts), on WebGL or WASM.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { detectSoftwareRenderer, registerWasmTrainingKernels } from '../../src/backends/wasm-training';
import { timeDeformConv, type DeformTimes } from '../workloads/deform-conv';

setWasmPaths('/wasm/');

export interface DeformPageResult {
  backend: string;
  renderer?: string;
  times: DeformTimes;
  leaked: number;
}

async function runDeformBench(backend: string, repeats: number, withBackward: boolean): Promise<DeformPageResult> {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  const renderer = backend === 'webgl' ? (await detectSoftwareRenderer().catch(() => ({}) as { webgl?: string })).webgl : undefined;
  const before = tf.memory().numTensors;
  const times = await timeDeformConv(repeats, withBackward);
  return { backend: tf.getBackend(), renderer, times, leaked: tf.memory().numTensors - before };
}

Object.assign(globalThis, { runDeformBench });
