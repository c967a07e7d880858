import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { build } from 'esbuild';
import { chromium as playwright } from 'playwright-core';
import { packageFile } from '../../scripts/package-file';
import { assets as modelAssets } from '../../scripts/assets/models';
import { assets as photoAssets } from '../../scripts/assets/photos';
import type { BenchRow, BenchSuite } from '../types';

/**
 * The pretrained detectors in a real Chromium (headless, SwiftShader WebGL on
 * machines without a GPU): load time and ms per image of the car-park photo on
 * the WebGL and WASM backends. The page is bundled with esbuild and served with
 * the same site assets the VitePress build ships.
 */
const suite: BenchSuite = {
  name: 'detectors-chromium',
  async run(ctx) {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, '../browser/detectors-page.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      define: { 'import.meta.env': 'undefined' },
    });
    const files = new Map<string, Uint8Array>();
    files.set('/page.js', bundle.outputFiles[0].contents);
    files.set('/', new TextEncoder().encode('<!doctype html><script type="module" src="/page.js"></script>'));
    for (const a of [...modelAssets, ...photoAssets]) files.set(`/${a.url}`, await a.load());
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      files.set(`/wasm/${f}`, new Uint8Array(await readFile(packageFile('@tensorflow/tfjs-backend-wasm', `dist/${f}`))));
    }
    const types: Record<string, string> = { js: 'text/javascript', json: 'application/json', wasm: 'application/wasm', jpg: 'image/jpeg' };
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const body = files.get(path);
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': types[path.split('.').pop() ?? ''] ?? 'text/html' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args });
    const rows: BenchRow[] = [];
    try {
      // one page, reloaded per backend: with --single-process closing the last page ends the browser
      const page = await browser.newPage();
      for (const backend of ['wasm', 'webgl']) {
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.waitForFunction(() => 'runBench' in globalThis);
        // WebGL under SwiftShader (no GPU) takes ~10 s an image: quick mode times one
        const repeats = ctx.quick ? 1 : 5;
        const results = (await page.evaluate(
          ([b, n]) => (globalThis as unknown as { runBench: (b: string, n: number) => Promise<unknown> }).runBench(b, n),
          [backend, repeats] as const,
        )) as Array<{
          name: string;
          loadMs: number;
          ms: number;
          found: number;
        }>;
        for (const r of results) {
          ctx.log(`${r.name} on chromium-${backend}: load ${r.loadMs.toFixed(0)} ms, ${r.ms.toFixed(0)} ms/image, ${r.found} detections`);
          rows.push({ suite: 'detectors', name: `${r.name} load`, backend: `chromium-${backend}`, value: r.loadMs, unit: 'ms' });
          rows.push({
            suite: 'detectors',
            name: `${r.name} detect`,
            backend: `chromium-${backend}`,
            value: r.ms,
            unit: 'ms/image',
            note: `704x576 car-park photo, median of ${repeats} after a warm-up`,
          });
        }
      }
    } finally {
      await browser.close();
      server.close();
    }
    return rows;
  },
};

export default suite;
