/**
 * A Node module-resolution hook that maps the tfjs packages to their ES2017
 * bundles, like scripts/node-tf-aliases.ts does for vitest (the packages'
 * default Node entries are ES5 and train ~3.5x slower). Use with
 *   node --import tsx --import ./scripts/register-node-tf.mjs script.ts
 * This file is both the registrar (main thread) and the hook (loader thread).
 */
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const targets = {
  '@tensorflow/tfjs': require.resolve('@tensorflow/tfjs/dist/tf.es2017.js'),
  '@tensorflow/tfjs-core': require.resolve('@tensorflow/tfjs/dist/tf.es2017.js'),
  '@tensorflow/tfjs-backend-wasm': require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.es2017.js'),
};

export async function resolve(specifier, context, nextResolve) {
  const target = targets[specifier];
  if (target) return { url: pathToFileURL(target).href, format: 'commonjs', shortCircuit: true };
  return nextResolve(specifier, context);
}

if (isMainThread) register(import.meta.url);
