// Bundled by bench/suites/explain-chromium.ts and run in Chromium: the explain workload on each backend.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { availableBackends } from '../../src/backend';
import { timeExplainMethods } from '../workloads/explain-methods';

async function listBackends(): Promise<string[]> {
  const names = await availableBackends();
  // availableBackends points the wasm backend at the site's /tfjs-wasm/; this page serves the files at /wasm/.
  setWasmPaths('/wasm/');
  return names;
}

async function runExplain(backend: string, repeats: number) {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  return timeExplainMethods(repeats);
}

Object.assign(globalThis, { listBackends, runExplain });
