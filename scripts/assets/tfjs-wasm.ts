import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SiteAsset } from './types';

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.es2017.js'));

/** tfjs's WASM binaries, served by the site itself (src/backend.ts points setWasmPaths here). */
export const assets: SiteAsset[] = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map(
  (file) => ({ url: `tfjs-wasm/${file}`, load: async () => new Uint8Array(await readFile(join(dist, file))) }),
);
