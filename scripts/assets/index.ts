import { assets as data } from './data';
import { assets as models } from './models';
import { assets as photos } from './photos';
import { assets as tfjsWasm } from './tfjs-wasm';
import { assets as weights } from './weights';
import type { SiteAsset } from './types';

/** Every file the site serves from its own origin. A new asset list is one more line here. */
export const siteAssetList: SiteAsset[] = [...tfjsWasm, ...data, ...models, ...photos, ...weights];
