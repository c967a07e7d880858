// Bundled by bench/suites/ops-chromium.ts and run in Chromium: the matmul and
// conv2d of ops-node on each backend the course's availableBackends() finds.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { availableBackends } from '../../src/backend';
import { detectSoftwareRenderer } from '../../src/backends/wasm-training';
import { timeOps, type OpTimes } from '../suites/ops-node';

async function listBackends(): Promise<string[]> {
  const names = await availableBackends();
  // availableBackends points the wasm backend at the site's /tfjs-wasm/; this page serves the files at /wasm/.
  setWasmPaths('/wasm/');
  return names;
}

async function runOps(backend: string, reps: number, warmup: number): Promise<OpTimes> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  const before = tf.memory().numTensors;
  const r = await timeOps(tf, reps, warmup);
  r.leaked = tf.memory().numTensors - before;
  return r;
}

async function webgpuAdapter(): Promise<string> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string>; isFallbackAdapter?: boolean } | null> } }).gpu;
  if (!gpu) return 'no navigator.gpu';
  const adapter = await gpu.requestAdapter().catch((e: Error) => (console.warn(e), null));
  if (!adapter) return 'no adapter';
  const info = adapter.info ?? {};
  const fallback = adapter.isFallbackAdapter ?? (info as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return `adapter ${[info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || '(no info)'}${fallback ? ' (fallback)' : ''}`;
}

Object.assign(globalThis, { listBackends, runOps, webgpuAdapter, detectSoftwareRenderer });
