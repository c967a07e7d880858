// Bundled by bench/suites/train-step.ts (and test/backends/wasm-training/chromium.test.ts)
// and run in Chromium: times the small CNN's training step and runs the
// loss-curve workloads on one backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { detectSoftwareRenderer, registerWasmTrainingKernels } from '../../src/backends/wasm-training';
import { smallCnnTrainStep } from '../workloads/bench-model';
import { trainingWorkloads } from '../workloads/training-workloads';

setWasmPaths('/wasm/');
// ?threads=N asks the threaded wasm build for N threads (it needs SharedArrayBuffer).
const wantThreads = Number(new URLSearchParams(location.search).get('threads') ?? 0);
if (wantThreads > 0) setThreadsCount(wantThreads);
registerWasmTrainingKernels();

async function use(backend: string): Promise<number> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  const b = tf.backend() as unknown as { wasm?: { tfjs: { getThreadsCount: () => number } } };
  return b.wasm ? b.wasm.tfjs.getThreadsCount() : 0;
}

async function runTrainStep(
  backend: string,
  reps: number,
): Promise<{ ms: number; min: number; loss: number; threads: number; isolated: boolean; threadedBuild: boolean }> {
  const threads = await use(backend);
  const threadedBuild = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const t = smallCnnTrainStep();
  // Warm-up: shader compilation, XNNPack operator creation, and V8 tiering the
  // wasm and the JS kernels up from their baseline compilers.
  for (let i = 0; i < 3; i++) await t.step();
  const times: number[] = [];
  let loss = NaN;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    loss = await t.step();
    times.push(performance.now() - t0);
  }
  t.dispose();
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], min: times[0], loss, threads, isolated: globalThis.crossOriginIsolated === true, threadedBuild };
}

async function runWorkloads(backend: string): Promise<{ losses: Record<string, number[]>; leaked: number }> {
  await use(backend);
  const before = tf.memory().numTensors;
  const losses: Record<string, number[]> = {};
  for (const [name, train] of Object.entries(trainingWorkloads)) losses[name] = await train();
  return { losses, leaked: tf.memory().numTensors - before };
}

/** 'fallback' / 'hardware' when the browser gives a WebGPU adapter, else why not. */
async function webgpuAdapter(): Promise<string> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
  if (!gpu) return 'none: no navigator.gpu';
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return 'none: no adapter';
  return adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter ? 'fallback' : 'hardware';
}

Object.assign(globalThis, { runTrainStep, runWorkloads, detectSoftwareRenderer, webgpuAdapter });
