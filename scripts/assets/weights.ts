import { readdir, readFile } from 'node:fs/promises';
import type { SiteAsset } from './types';

/**
 * Weights the lessons start from, made by `npm run train:weights` and
 * committed under weights/ (README.md beside each with the recipe and score).
 * Every model.json, detector.json (a trainable detector's manifest), weights*.bin, scores.json and training.json (a recipe's record of
 * its run, e.g. loss curves) found there is served from the site's own origin at
 * `weights/<path>`, so a new lesson's weights need no edit here.
 */
const root = new URL('../../weights/', import.meta.url);
const files = (await readdir(root, { recursive: true }))
  .map((f) => f.split('\\').join('/'))
  .filter((f) => /(^|\/)(model\.json|detector\.json|weights[^/]*\.bin|scores\.json|training\.json)$/.test(f))
  .sort();

export const assets: SiteAsset[] = files.map((f) => ({
  url: `weights/${f}`,
  load: async () => new Uint8Array(await readFile(new URL(f, root))),
}));
