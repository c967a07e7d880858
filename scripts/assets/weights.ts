import { readFile } from 'node:fs/promises';
import type { SiteAsset } from './types';

/**
 * Weights the lessons start from, made by `npm run train:weights` and
 * committed under weights/ (each < 2 MB, README.md beside it with the recipe
 * and score). The site serves them from its own origin.
 */
const files = ['lesson-01/mlp/model.json', 'lesson-01/mlp/weights.bin', 'lesson-01/cnn/model.json', 'lesson-01/cnn/weights.bin'];

export const assets: SiteAsset[] = files.map((f) => ({
  url: `weights/${f}`,
  load: async () => new Uint8Array(await readFile(new URL(`../../weights/${f}`, import.meta.url))),
}));
