import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { build } from 'esbuild';
import { chromium as playwright, type Browser } from 'playwright-core';
import { packageFile } from '../../scripts/package-file';
import type { SiteAsset } from '../../scripts/assets/types';
import { findChromium } from '../../test/browser/chromium';

/**
 * Bundles one page entry with esbuild, serves it with tfjs's .wasm files on
 * 127.0.0.1 and opens headless Chromium. With `isolated`, responses carry
 * COOP/COEP so the page is cross-origin isolated and tfjs can pick the
 * threaded wasm build. `assets` (site files: packed data, weights) are served at
 * `/<url>`, where the page's `loadBytes` looks for them.
 */
export async function servePage(
  entry: string,
  isolated: boolean,
  extraArgs: string[] = [],
  assets: SiteAsset[] = [],
): Promise<{ url: string; browser: Browser; close: () => Promise<void> }> {
  // The same Chromium, with the same flags, as the browser tests (a learner's
  // browser runs one process per site; @sparticuz/chromium's --single-process
  // default makes wasm ~2x slower). Site isolation and web security stay off
  // unless the page must be cross-origin isolated for the threaded wasm build.
  const found = await findChromium();
  const blocking = ['--disable-site-isolation-trials', '--disable-web-security'];
  const args = isolated
    ? found.args.filter((a) => !blocking.includes(a) && !a.startsWith('--disable-features='))
    : found.args;
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    define: { 'import.meta.env': 'undefined' },
  });
  const files = new Map<string, Uint8Array>();
  files.set('/page.js', bundle.outputFiles[0].contents);
  files.set('/', new TextEncoder().encode('<!doctype html><script type="module" src="/page.js"></script>'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    files.set(`/wasm/${f}`, new Uint8Array(await readFile(packageFile('@tensorflow/tfjs-backend-wasm', `dist/${f}`))));
  }
  for (const a of assets) files.set(`/${a.url}`, await a.load());
  const types: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm', json: 'application/json' };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = files.get(path);
    if (!body) return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'content-type': types[path.split('.').pop() ?? ''] ?? 'text/html' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await playwright.launch({ executablePath: found.executablePath, args: [...args, ...extraArgs] });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
