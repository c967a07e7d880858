import { join } from 'node:path';
import { servePage } from '../browser/serve-page';
import type { BenchRow, BenchSuite } from '../types';
import type { ExplainTimes } from '../workloads/explain-methods';

/**
 * Lesson 17's methods in headless Chromium: each map method for one 128x128
 * image (bench/workloads/explain-methods.ts) on the browser backends the
 * course's availableBackends() finds (WebGL is SwiftShader on machines
 * without a GPU), a fresh page per backend.
 */
const suite: BenchSuite = {
  name: 'explain-chromium',
  async run(ctx) {
    let served: Awaited<ReturnType<typeof servePage>>;
    try {
      served = await servePage(join(import.meta.dirname, '../browser/explain-page.ts'), false);
    } catch (e) {
      ctx.log(`explain-chromium: Chromium unavailable (${(e as Error).message}); no rows`);
      return [];
    }
    const rows: BenchRow[] = [];
    try {
      const tab = await served.browser.newPage();
      const open = async () => {
        await tab.goto(served.url);
        await tab.waitForFunction(() => 'runExplain' in globalThis);
      };
      await open();
      const backends = (await tab.evaluate(() => (globalThis as any).listBackends())) as string[];
      for (const backend of backends.filter((b) => b !== 'cpu')) {
        await open();
        await tab.evaluate(() => (globalThis as any).listBackends());
        const reps = ctx.quick ? 1 : 3;
        try {
          const r = (await tab.evaluate(([b, n]) => (globalThis as any).runExplain(b, n), [backend, reps] as const)) as ExplainTimes;
          for (const row of r.rows) {
            rows.push({ suite: 'explain-chromium', name: `${row.method}, one 128x128x3 image`, backend: `chromium-${backend}`, value: row.ms, unit: 'ms', note: `small CNN 16-32-32 at 128 px; median of ${reps}${row.leaked ? `; ${row.leaked} tensors left` : ''}` });
            ctx.log(`chromium-${backend} ${row.method}: ${row.ms.toFixed(1)} ms`);
          }
        } catch (e) {
          const msg = (e as Error).message.split('\n')[0];
          ctx.log(`explain-chromium: ${backend} failed (${msg})`);
          rows.push({ suite: 'explain-chromium', name: 'map methods', backend: `chromium-${backend}`, value: Number.NaN, unit: 'n/a', note: `failed: ${msg}` });
        }
      }
      await tab.close();
    } finally {
      await served.close();
    }
    return rows;
  },
};
export default suite;
