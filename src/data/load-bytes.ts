import { readSiteFileInNode } from './node-bytes';

/**
 * One place that knows where site files (packed datasets, weights) come from:
 * in a browser, `fetch(dataRoot + name)` from the site's own origin; in Node,
 * the same bytes built from node_modules or read from the repository.
 */

export type ByteLoader = (name: string) => Promise<Uint8Array>;

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

function defaultRoot(): string {
  // Vite replaces import.meta.env at build time; under plain tsx it is undefined.
  const env = (import.meta as unknown as { env?: { BASE_URL?: string } }).env;
  return env?.BASE_URL ?? '/';
}

let root: string | null = null;
let custom: ByteLoader | null = null;
const cache = new Map<string, Promise<Uint8Array>>();

/**
 * Sets the URL prefix that browser fetches use (default: the site's base).
 *
 * @example
 * setDataRoot('https://example.org/vision-notebook/');
 */
export function setDataRoot(url: string): void {
  root = url.endsWith('/') ? url : `${url}/`;
  cache.clear();
}

/**
 * Replaces how bytes are fetched (tests, workers, other hosts); `null` restores the default.
 *
 * @example
 * setByteLoader(async (name) => new Uint8Array(await (await fetch(`/static/${name}`)).arrayBuffer()));
 */
export function setByteLoader(loader: ByteLoader | null): void {
  custom = loader;
  cache.clear();
}

async function fetchBytes(name: string): Promise<Uint8Array> {
  const url = `${root ?? defaultRoot()}${name}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadBytes: could not fetch '${url}' (HTTP ${res.status}).`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * The bytes of a site file such as 'data/mnist.bin', loaded once and shared.
 *
 * @example
 * const bytes = await loadBytes('data/mnist.bin');
 */
export function loadBytes(name: string): Promise<Uint8Array> {
  let p = cache.get(name);
  if (!p) {
    const loader = custom ?? (isNode ? readSiteFileInNode : fetchBytes);
    p = loader(name);
    // A failed load is not cached, so a retry can succeed.
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}
