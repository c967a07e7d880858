import * as tf from '@tensorflow/tfjs';

const MISSING = /Kernel '([^']+)' not registered for backend '([^']+)'/;
const CANDIDATES = ['cpu', 'webgl', 'webgpu', 'wasm'];
/** GPU backends register their kernels in Node too, but only a browser can start them. */
const BROWSER_ONLY = new Set(['webgl', 'webgpu']);

function inBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

/**
 * Turns tfjs's "Kernel 'X' not registered for backend 'wasm'" into an error
 * that says what is missing and which backend has it; any other error is
 * returned unchanged. The point: a layer whose gradient is missing on wasm
 * fails loudly with a way out, never falls back to wrong numbers.
 *
 * @example
 * try { await model.fit(xs, ys); } catch (e) { throw explainMissingKernel(e); }
 * // Error: The 'wasm' backend has no 'Conv3DBackpropFilterV2' kernel, ... Switch with useBackend('cpu') ...
 */
export function explainMissingKernel(err: unknown): unknown {
  if (!(err instanceof Error) || err.message.includes('has no kernel named')) return err;
  const m = MISSING.exec(err.message);
  if (!m) return err;
  const [, kernel, backend] = m;
  const having = CANDIDATES.filter((b) => b !== backend && (inBrowser() || !BROWSER_ONLY.has(b)) && tf.getKernel(kernel, b) != null);
  const grad = /Backprop|Grad/.test(kernel) ? ' (a gradient: the forward op runs, training through it does not)' : '';
  const where = having.length > 0
    ? `Backends that have it: ${having.map((b) => `'${b}'`).join(', ')}. Switch with useBackend('${having.includes('webgl') ? 'webgl' : having[0]}') before training this model.`
    : `No loaded backend has it; try useBackend('cpu') or useBackend('webgl').`;
  const e = new Error(
    `The '${backend}' backend has no kernel named '${kernel}'${grad}. ` +
      `It is not among tfjs 4.22's wasm kernels nor the course's wasm training kernels (docs/backends-wasm-training.md). ${where}`,
  );
  (e as Error & { cause?: unknown }).cause = err;
  return e;
}

/**
 * Runs `fn` and rethrows a missing-kernel error in the form of `explainMissingKernel`.
 *
 * @example
 * const history = await withKernelHint(() => model.fit(xs, ys, { epochs: 3 }));
 */
export async function withKernelHint<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw explainMissingKernel(e);
  }
}

let installed = false;

/**
 * Wraps the engine's `runKernel` once so every missing-kernel error anywhere
 * (model.fit, a custom loop, a cell) carries the explanation. A try/catch per
 * kernel call; no cost on the success path beyond that.
 *
 * @example
 * installMissingKernelHints();
 * tf.engine().runKernel('NoSuchKernel', {}, {}); // throws with a backend suggestion
 */
export function installMissingKernelHints(): void {
  if (installed) return;
  installed = true;
  const engine = tf.engine() as unknown as { runKernel: (...a: unknown[]) => unknown };
  const run = engine.runKernel;
  engine.runKernel = function (this: unknown, ...a: unknown[]) {
    try {
      return run.apply(this, a);
    } catch (e) {
      throw explainMissingKernel(e);
    }
  };
}
