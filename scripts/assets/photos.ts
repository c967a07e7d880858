import { readFile } from 'node:fs/promises';
import { packageFile } from '../package-file';
import type { SiteAsset } from './types';

/**
 * Photos for the detection lessons, copied at build time from the registry
 * packages that ship them (both MIT): `@jimp/test-utils/images/` and
 * `@vladmandic/face-api/demo/`. The list lessons read, with captions and
 * licences, is src/models/pretrained/photos.ts; sources and reasons for what
 * was left out are in docs/photos-and-models.md.
 */
const photos: Array<[url: string, pkg: string, file: string]> = [
  ['photos/car-park.jpg', '@jimp/test-utils', 'images/fillbytes.jpg'],
  ['photos/costume-party.jpg', '@vladmandic/face-api', 'demo/sample1.jpg'],
  ['photos/bar-sofa.jpg', '@vladmandic/face-api', 'demo/sample3.jpg'],
  ['photos/hands-engraving.jpg', '@jimp/test-utils', 'images/hands.jpg'],
];

export const assets: SiteAsset[] = photos.map(([url, pkg, file]) => ({
  url,
  load: async () => new Uint8Array(await readFile(packageFile(pkg, file))),
}));
