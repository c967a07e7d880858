import { readFile } from 'node:fs/promises';
import { packageFile } from '../package-file';
import type { SiteAsset } from './types';

/**
 * Photos for the detection lessons, copied from `@jimp/test-utils/images/`
 * (MIT). The list lessons read, with captions and licences, is
 * src/models/pretrained/photos.ts; sources and reasons for what was left out
 * are in docs/photos-and-models.md.
 */
const photos: Array<[url: string, file: string]> = [
  ['photos/car-park.jpg', 'images/fillbytes.jpg'],
  ['photos/hands-engraving.jpg', 'images/hands.jpg'],
];

export const assets: SiteAsset[] = photos.map(([url, file]) => ({
  url,
  load: async () => new Uint8Array(await readFile(packageFile('@jimp/test-utils', file))),
}));
