import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './backends/wasm-training';
import { detectSoftwareRenderer, softwareGpuPhrases, softwareGpuReason, type RendererReport } from './backends/wasm-training/software-renderer';

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
export function availableBackends(): Promise<BackendName[]> {
  // Probing loads backend packages and registers kernels: queued with start-ups so it never overlaps one.
  return oneAtATime(probeBackends);
}

async function probeBackends(): Promise<BackendName[]> {
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

/**
 * What the browser's GPU backends would run on. `none`: that API cannot
 * start here; left out (unknown): the probe failed, so the backend keeps its
 * place and is simply tried.
 */
export interface GpuFacts {
  webgpu?: 'hardware' | 'fallback' | 'none';
  webgl?: 'hardware' | 'software' | 'none';
  /** WebGL's renderer string, for the reason shown on the badge. */
  webglRenderer?: string;
}

/**
 * Reads the renderer probe. An API whose probe threw is left out (unknown),
 * never `none`: a passing failure must not drop a working GPU backend from
 * the order. `null` (the whole probe threw) gives no facts.
 */
export function gpuFacts(report: RendererReport | null, hasWebgpuApi: boolean): GpuFacts {
  if (!report) return {};
  const facts: GpuFacts = {};
  // The probe only sets webgpuFallback when an adapter was returned; a null adapter means no WebGPU.
  if (!hasWebgpuApi) facts.webgpu = 'none';
  else if (report.webgpuError === undefined) facts.webgpu = report.webgpuFallback === undefined ? 'none' : report.webgpuFallback ? 'fallback' : 'hardware';
  if (report.webglError === undefined) facts.webgl = report.webgl === undefined ? 'none' : report.webglSoftware ? 'software' : 'hardware';
  if (report.webgl !== undefined) facts.webglRenderer = report.webgl;
  return facts;
}

const AUTOMATIC = 'Chosen automatically: the fastest backend available (WebGPU, else WebGL, else WASM, else CPU).';

/**
 * The automatic preference order from the GPU facts. Only a GPU backend that
 * is itself a software renderer goes behind WASM (it trains ~30x slower
 * there); a real adapter on the other API keeps its place, so SwiftShader
 * WebGL does not demote a real WebGPU adapter, nor a fallback WebGPU adapter
 * a real WebGL.
 *
 * @example
 * automaticOrderFor({ webgpu: 'none', webgl: 'software', webglRenderer: 'ANGLE (... SwiftShader ...)' });
 * // { order: ['wasm', 'webgl', 'cpu'], reason: 'WebGL runs on SwiftShader, a software renderer: WASM is faster here.' }
 */
export function automaticOrderFor(facts: GpuFacts): { order: BackendName[]; reason: string } {
  const real: BackendName[] = [];
  const soft: BackendName[] = [];
  if (facts.webgpu === 'fallback') soft.push('webgpu');
  else if (facts.webgpu !== 'none') real.push('webgpu');
  if (facts.webgl === 'software') soft.push('webgl');
  else if (facts.webgl !== 'none') real.push('webgl');
  const order: BackendName[] = [...real, 'wasm', ...soft, 'cpu'];
  const probe = { webgpuFallback: facts.webgpu === 'fallback', webglSoftware: facts.webgl === 'software', webgl: facts.webglRenderer };
  if (!soft.length) return { order, reason: AUTOMATIC };
  if (!real.length) return { order, reason: `${softwareGpuReason(probe)}.` };
  const why = softwareGpuPhrases(probe);
  const names = real.map((n) => (n === 'webgpu' ? 'WebGPU' : 'WebGL')).join(', then ');
  return { order, reason: `Chosen automatically: ${names} on a real GPU first; ${why.join('; ')}, so it goes behind WASM.` };
}

async function automaticOrder(): Promise<{ order: BackendName[]; reason: string }> {
  if (!isBrowser()) return { order: ['wasm', 'cpu'], reason: 'Node: wasm with the course training kernels is the fastest backend that trains.' };
  const report = await detectSoftwareRenderer().catch(() => null);
  const hasWebgpuApi = Boolean((navigator as Navigator & { gpu?: unknown }).gpu);
  return automaticOrderFor(gpuFacts(report, hasWebgpuApi));
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

const LOST_KEY = 'vision-notebook:backend-lost';
let notice: string | null = null;

/** A message about a backend change the reader did not ask for (a lost GPU context), or null. */
export function backendNotice(): string | null {
  return notice;
}

/**
 * On a lost WebGL context every tensor, model and compiled program on it is
 * gone, and cells hold them. Switching backend in place would leave those
 * cells on dead tensors, so the page reloads on WASM (remembered, as if the
 * reader had chosen it) and the message is shown after the reload.
 */
function watchContextLoss(name: BackendName): void {
  if (name !== 'webgl' || !isBrowser()) return;
  const canvas = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl?.canvas as HTMLCanvasElement | undefined;
  canvas?.addEventListener?.(
    'webglcontextlost',
    () => {
      rememberBackend('wasm');
      try {
        window.sessionStorage.setItem(LOST_KEY, '1');
      } catch {
        // Without session storage the page still reloads on WASM, only without the message.
      }
      window.location.reload();
    },
    { once: true },
  );
}

/** The message for a reload caused by a lost context, once, or undefined. */
function takeLostMessage(now: BackendName): string | undefined {
  try {
    if (!isBrowser() || window.sessionStorage.getItem(LOST_KEY) === null) return undefined;
    window.sessionStorage.removeItem(LOST_KEY);
  } catch {
    return undefined;
  }
  return (
    `The WebGL context was lost (the GPU was reset or the tab used too much memory), so the page ` +
    `re-ran every cell on ${now.toUpperCase()}. Choose webgl in the menu to try the GPU again.`
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
  return oneAtATime(() => (!name && report ? Promise.resolve(report.name) : chooseBackend(name)));
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs backend work (start-ups, switches, probes) one job after another.
 * tfjs's `setBackend` is not re-entrant: it names the new backend at once and
 * installs its instance only when an async start-up ends, so two overlapping
 * calls (the cells and the badge on one page, two quick switches) can leave
 * the engine naming one backend while running another, and every kernel then
 * fails. This queue is the course's one guard against that; pages and lessons
 * need none of their own.
 */
function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Makes tfjs's named backend and its running instance agree. Code outside the
 * queue (a learner's `tf.setBackend` in a cell) can still overlap a start-up;
 * selecting `name` again after it settles repairs that (a no-op otherwise).
 */
async function settleOn(name: BackendName): Promise<void> {
  const engine = tf.engine() as unknown as { backendInstance: unknown; registry: Record<string, unknown> };
  for (let tries = 0; tries < 3 && (tf.getBackend() !== name || engine.backendInstance !== engine.registry[name]); tries++) {
    await tf.setBackend(name);
    await tf.ready();
  }
}

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
        await settleOn(candidate);
        const fellBack = candidate !== order[0];
        report = { name: candidate, reason: fellBack ? `${reason} ${failures.join('; ')}; using ${candidate.toUpperCase()}.` : reason };
        watchContextLoss(candidate);
        const message = takeLostMessage(candidate);
        if (message) notice = message;
        for (const fn of listeners) fn(report, message);
        return candidate;
      }
      failures.push(`${candidate}: failed to start`);
    } catch (e) {
      failures.push(`${candidate}: ${(e as Error).message}`);
    }
  }
  throw new Error(`No tfjs backend could start (${failures.join('; ')}).`);
}
