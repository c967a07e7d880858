import { join } from 'node:path';
import { servePage } from '../browser/serve-page';
import type { DeformPageResult } from '../browser/deform-page';
import type { BenchRow, BenchSuite } from '../types';
import { deformRows } from './deform-conv';

/**
 * core.deformConv2d against tf.conv2d in a real Chromium (headless; WebGL is
 * ANGLE on SwiftShader on machines without a GPU), on WebGL (the tensor-op
 * kernel) and WASM (the JS-loop kernel), on deform-conv's workload, so these
 * rows sit beside its node-cpu / node-wasm ones. Forward + backward on WASM; forward only on
 * WebGL, whose software (SwiftShader) backward ran for most of an hour without finishing.
 */
const suite: BenchSuite = {
  name: 'deform-chromium',
  async run(ctx) {
    let page: Awaited<ReturnType<typeof servePage>>;
    try {
      page = await servePage(join(import.meta.dirname, '../browser/deform-page.ts'), false);
    } catch (e) {
      ctx.log(`deform-chromium: Chromium unavailable (${(e as Error).message}); no rows`);
      return [];
    }
    const rows: BenchRow[] = [];
    try {
      const tab = await page.browser.newPage();
      for (const backend of ['wasm', 'webgl']) {
        await tab.goto(page.url);
        await tab.waitForFunction(() => 'runDeformBench' in globalThis);
        let r: DeformPageResult;
        try {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          // WebGL here is usually SwiftShader (software): forward only there, or the suite takes the better part of an hour.
          r = (await tab.evaluate(([b, n, g]) => (globalThis as any).runDeformBench(b, n, g), [backend, ctx.quick ? 2 : 5, backend === 'wasm'] as const)) as DeformPageResult;
        } catch (e) {
          ctx.log(`deform-chromium: ${backend} failed (${(e as Error).message.split('\n')[0]})`);
          continue;
        }
        const label = `chromium-${r.backend}`;
        if (r.leaked !== 0) ctx.log(`deform-chromium: ${r.leaked} tensor(s) left on ${label}`);
        const where = !r.renderer ? '' : /SwiftShader/i.test(r.renderer) ? '; SwiftShader (software) WebGL, no GPU' : `; renderer ${r.renderer}`;
        ctx.log(`deform-chromium on ${label}: deform ${r.times.deform.toFixed(1)} ms vs conv2d ${r.times.conv.toFixed(1)} ms${where}`);
        rows.push(...deformRows(label, r.times).map((row) => ({ ...row, suite: 'deform-chromium', note: `${row.note}${where}` })));
      }
      await tab.close();
    } finally {
      await page.close();
    }
    return rows;
  },
};

export default suite;
