import * as tf from '@tensorflow/tfjs';
import { detectSoftwareRenderer, registerWasmTrainingKernels, softwareGpuReason } from './backends/wasm-training';

/** The compute backends the course can run on, fastest first when real hardware is behind them. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const STORAGE_KEY = 'vision-notebook:backend';

/** What is in use and why; the backend badge shows this. */
export interface BackendReport {
  name: BackendName;
  reason: string;
}

let report: BackendReport | null = null;
const listeners = new Set<(r: BackendReport, message?: string) => void>();

/** Called whenever the backend changes, with a message when it changed by itself (a lost GPU context). */
export function onBackendChange(fn: (r: BackendReport, message?: string) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function currentBackend(): BackendReport | null {
  return report;
}

function isBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

/** Where the site serves tfjs's .wasm files: its own origin, never a CDN. */
function wasmBaseUrl(): string {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  return `${base}tfjs-wasm/`;
}

async function prepare(name: BackendName): Promise<boolean> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (isBrowser()) wasm.setWasmPaths(wasmBaseUrl());
    // tfjs-backend-wasm cannot train convolutions by itself; the course's kernels fill the gap.
    registerWasmTrainingKernels();
    return true;
  }
  if (name === 'webgpu') {
    const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
    if (!gpu || !(await gpu.requestAdapter().catch(() => null))) return false;
    await import('@tensorflow/tfjs-backend-webgpu');
    return true;
  }
  return tf.engine().registryFactory[name] !== undefined;
}

/** Backends this environment can actually start, in preference order. */
export async function availableBackends(): Promise<BackendName[]> {
  const names: BackendName[] = [];
  for (const name of BACKEND_ORDER) {
    if (name === 'webgl' && !isBrowser()) continue;
    if (name === 'webgpu' && !isBrowser()) continue;
    try {
      if (await prepare(name)) names.push(name);
    } catch {
      // A backend that fails to load is simply not available here.
    }
  }
  return names;
}

async function automaticOrder(): Promise<{ order: BackendName[]; reason: string }> {
  if (!isBrowser()) return { order: ['wasm', 'cpu'], reason: 'Node: wasm with the course training kernels is the fastest backend that trains.' };
  const renderer = await detectSoftwareRenderer().catch(() => ({}));
  const software = softwareGpuReason(renderer);
  if (software) return { order: ['wasm', 'webgl', 'cpu'], reason: software };
  return { order: [...BACKEND_ORDER], reason: 'Chosen automatically: the fastest backend available (WebGPU, else WebGL, else WASM, else CPU).' };
}

function rememberedChoice(): BackendName | null {
  try {
    const v = isBrowser() ? window.localStorage.getItem(STORAGE_KEY) : null;
    return v && (BACKEND_ORDER as readonly string[]).includes(v) ? (v as BackendName) : null;
  } catch {
    return null;
  }
}

/** Remembers the reader's choice; `null` goes back to automatic. */
export function rememberBackend(name: BackendName | null): void {
  try {
    if (name) window.localStorage.setItem(STORAGE_KEY, name);
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
}

function watchContextLoss(name: BackendName): void {
  if (name !== 'webgl') return;
  const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl?.canvas as HTMLCanvasElement | undefined;
  canvas?.addEventListener?.(
    'webglcontextlost',
    () => {
      void useBackend('wasm').then((r) => {
        const message = `The WebGL context was lost (the GPU was reset or the tab used too much memory). Switched to ${r.toUpperCase()}; re-run the cells that were running.`;
        for (const fn of listeners) fn(report!, message);
      });
    },
    { once: true },
  );
}

/**
 * Chooses the backend and waits until it is ready; resolves to its name.
 * With a name, uses that one (remembered if `remember`); without, the
 * reader's remembered choice, else the fastest that works here. A GPU
 * backend that is really a software renderer (SwiftShader, llvmpipe, a
 * fallback WebGPU adapter) goes behind WASM: it trains ~30x slower.
 *
 * @example
 * const name = await useBackend();        // e.g. 'webgl'
 * await useBackend('wasm');               // force WASM
 */
export function useBackend(name?: BackendName): Promise<BackendName> {
  // Callers on one page (the cells, the badge) may ask at once; starting a backend twice
  // concurrently makes tfjs's second initialisation fail, so requests run one after another.
  const next = queue.then(() => (!name && report ? report.name : chooseBackend(name)));
  queue = next.catch(() => undefined);
  return next;
}

let queue: Promise<unknown> = Promise.resolve();

async function chooseBackend(name?: BackendName): Promise<BackendName> {
  let order: BackendName[];
  let reason: string;
  const remembered = name ? null : rememberedChoice();
  if (name) {
    if (!BACKEND_ORDER.includes(name)) throw new Error(`useBackend: 'name' must be one of ${BACKEND_ORDER.join(', ')}, got '${name}'.`);
    order = [name, ...BACKEND_ORDER.filter((n) => n !== name)];
    reason = `Chosen by you: ${name.toUpperCase()}.`;
  } else if (remembered) {
    order = [remembered, ...BACKEND_ORDER.filter((n) => n !== remembered)];
    reason = `Your remembered choice: ${remembered.toUpperCase()}.`;
  } else {
    ({ order, reason } = await automaticOrder());
  }
  const failures: string[] = [];
  for (const candidate of order) {
    if ((candidate === 'webgl' || candidate === 'webgpu') && !isBrowser()) continue;
    try {
      if (!(await prepare(candidate))) {
        failures.push(`${candidate}: not available here`);
        continue;
      }
      if (await tf.setBackend(candidate)) {
        await tf.ready();
        const fellBack = candidate !== order[0];
        report = { name: candidate, reason: fellBack ? `${reason} ${failures.join('; ')}; using ${candidate.toUpperCase()}.` : reason };
        watchContextLoss(candidate);
        for (const fn of listeners) fn(report);
        return candidate;
      }
      failures.push(`${candidate}: failed to start`);
    } catch (e) {
      failures.push(`${candidate}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No tfjs backend could start (${failures.join('; ')}).`);
}
