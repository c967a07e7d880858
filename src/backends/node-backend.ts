import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-training';

/**
 * Picks the fastest tfjs backend that trains in Node: 'wasm' with the course's
 * training kernels (a small CNN's Adam step ~70 ms against ~6.6 s on 'cpu' on
 * a 2-core machine), else 'cpu' with a warning. Tests and
 * `npm run train:weights` call this before building models.
 *
 * @example
 * const name = await useFastestNodeBackend(); // 'wasm'
 * await model.fit(xs, ys, { epochs: 5 });
 */
export async function useFastestNodeBackend(): Promise<string> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
    console.warn("useFastestNodeBackend: the 'wasm' backend did not initialise; training on 'cpu' (much slower).");
  } catch (e) {
    console.warn(`useFastestNodeBackend: could not load the 'wasm' backend (${(e as Error).message}); training on 'cpu' (much slower).`);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
