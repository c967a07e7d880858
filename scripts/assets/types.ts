/**
 * A file the site serves from its own origin (never a CDN): tfjs's .wasm
 * binaries, packed datasets, model weights, photographs. Each file in
 * scripts/assets/ (other than this one) exports `assets: SiteAsset[]`; the
 * VitePress plugin serves them in dev and writes them into the build.
 */
export interface SiteAsset {
  /** Path under the site's base, no leading slash, e.g. 'data/mnist-digits.bin'. */
  url: string;
  /** The file's bytes, read from node_modules or built from them. */
  load: () => Promise<Uint8Array>;
}
