import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/browser/chromium';
import { servePage } from '../browser/serve-page';
import type { OpTimes } from './ops-node';
import { opRows } from './ops-node';
import type { BenchRow, BenchSuite } from '../types';

/**
 * ops-node's matmul (512x512) and conv2d ([8,64,64,16] * 3x3x16x32) in
 * headless Chromium, on every backend src/backend.ts's availableBackends()
 * finds there: webgl (SwiftShader on machines without a GPU), wasm, cpu, and
 * webgpu when the browser gives an adapter. Chromium is started with
 * --enable-unsafe-webgpu so headless Linux may offer one; when it does not,
 * a row says so. Medians after warm-up, download included.
 */
const suite: BenchSuite = {
  name: 'ops-chromium',
  async run(ctx) {
    let served: Awaited<ReturnType<typeof servePage>>;
    try {
      served = await servePage(join(import.meta.dirname, '../browser/ops-page.ts'), false);
    } catch (e) {
      ctx.log(`ops-chromium: Chromium unavailable (${(e as Error).message}); no rows`);
      return [];
    }
    // servePage's browser has no WebGPU flag; a second one with it opens the same page.
    let browser: Browser | null = null;
    const rows: BenchRow[] = [];
    try {
      // The browser tests' Chromium and flags, as servePage uses; another --enable-features would replace theirs.
      browser = await launchChromium(['--enable-unsafe-webgpu']);
      const tab = await browser.newPage();
      const open = async () => {
        await tab.goto(served.url);
        await tab.waitForFunction(() => 'runOps' in globalThis);
      };
      await open();
      const backends = (await tab.evaluate(() => (globalThis as any).listBackends())) as string[];
      const adapter = (await tab.evaluate(() => (globalThis as any).webgpuAdapter())) as string;
      const renderer = ((await tab.evaluate(() => (globalThis as any).detectSoftwareRenderer())) as { webgl?: string }).webgl ?? 'none';
      ctx.log(`ops-chromium: backends ${backends.join(', ')}; WebGPU ${adapter}; WebGL ${renderer}`);
      if (!backends.includes('webgpu')) {
        rows.push({
          suite: 'ops-chromium', name: 'matmul and conv2d', backend: 'chromium-webgpu', value: Number.NaN, unit: 'n/a',
          note: `not run: ${adapter} (headless Chromium, --enable-unsafe-webgpu)`,
        });
      }
      for (const backend of backends) {
        // a fresh page for each backend: one backend's textures and programs do not slow the next
        await open();
        await tab.evaluate(() => (globalThis as any).listBackends());
        // software GPUs and cpu take ~0.1-1 s a run: fewer repetitions keep the suite short
        const slow = backend === 'cpu' || (backend === 'webgl' && /swiftshader/i.test(renderer)) || (backend === 'webgpu' && /fallback|swiftshader/i.test(adapter));
        const reps = slow ? (ctx.quick ? 3 : 7) : ctx.quick ? 5 : 21;
        const warmup = slow ? 1 : 2;
        let r: OpTimes;
        try {
          r = (await tab.evaluate(([b, n, w]) => (globalThis as any).runOps(b, n, w), [backend, reps, warmup] as const)) as OpTimes;
        } catch (e) {
          ctx.log(`ops-chromium: ${backend} failed (${(e as Error).message.split('\n')[0]})`);
          rows.push({ suite: 'ops-chromium', name: 'matmul and conv2d', backend: `chromium-${backend}`, value: Number.NaN, unit: 'n/a', note: `failed: ${(e as Error).message.split('\n')[0]}` });
          continue;
        }
        if (r.leaked) ctx.log(`ops-chromium: ${r.leaked} tensor(s) left on ${backend}`);
        const where = backend === 'webgl' ? `; WebGL renderer ${/swiftshader/i.test(renderer) ? 'SwiftShader (software, no GPU)' : renderer}` : backend === 'webgpu' ? `; WebGPU ${adapter}` : '';
        ctx.log(`chromium-${backend}: matmul ${r.matmul.median.toFixed(1)} ms, conv2d ${r.conv2d.median.toFixed(1)} ms`);
        rows.push(...opRows('ops-chromium', `chromium-${backend}`, r, where));
      }
      await tab.close();
    } finally {
      await browser?.close();
      await served.close();
    }
    return rows;
  },
};

export default suite;
