import { join } from 'node:path';
import { servePage } from '../browser/serve-page';
import type { CoreBenchOptions, CoreBenchResult } from '../browser/core-page';
import type { BenchRow, BenchSuite } from '../types';

/**
 * The detection core's hot ops in a real Chromium (headless; WebGL is ANGLE on
 * SwiftShader on machines without a GPU), on WebGL and, for comparison, WASM:
 * `nms` vs `tf.image.nonMaxSuppressionAsync` on 1k and 10k random boxes,
 * `boxIou` 2k x 2k, and `roiAlign` vs `tf.image.cropAndResize` (+ a 2x2
 * average, the same sample grid) on 1k RoIs over a [1,64,64,256] map, 7x7,
 * sampling 2. The workloads are core-ops' and core-roi-eval's, so these rows
 * sit beside their node-cpu / node-wasm ones; torchvision's CPU figures from
 * the issue are in the notes.
 */

const TORCHVISION_NMS_MS: Record<number, number> = { 1000: 3, 10000: 204 };
const TORCHVISION_ROI_ALIGN_MS = 166;

const suite: BenchSuite = {
  name: 'core-chromium',
  async run(ctx) {
    const options: CoreBenchOptions = {
      nmsSizes: [1000, 10000],
      iouSize: ctx.quick ? 500 : 2000,
      rois: ctx.quick ? 200 : 1000,
      repeats: ctx.quick ? 3 : 7,
      roiRepeats: ctx.quick ? 2 : 5,
    };
    let page: Awaited<ReturnType<typeof servePage>>;
    try {
      page = await servePage(join(import.meta.dirname, '../browser/core-page.ts'), false);
    } catch (e) {
      ctx.log(`core-chromium: Chromium unavailable (${(e as Error).message}); no rows`);
      return [];
    }
    const rows: BenchRow[] = [];
    try {
      // one tab for both backends: with --single-process closing the last page ends the browser
      const tab = await page.browser.newPage();
      for (const backend of ['webgl', 'wasm']) {
        await tab.goto(page.url);
        await tab.waitForFunction(() => 'runCoreBench' in globalThis);
        let r: CoreBenchResult;
        try {
          r = (await tab.evaluate(([b, o]) => (globalThis as any).runCoreBench(b, o), [backend, options] as const)) as CoreBenchResult;
        } catch (e) {
          ctx.log(`core-chromium: ${backend} failed (${(e as Error).message.split('\n')[0]})`);
          continue;
        }
        const label = `chromium-${r.backend}`;
        const where = !r.renderer ? '' : /SwiftShader/i.test(r.renderer) ? '; SwiftShader (software) WebGL, no GPU' : `; renderer ${r.renderer}`;
        if (r.leaked !== 0) ctx.log(`core-chromium: ${r.leaked} tensor(s) left on ${label}`);
        for (const x of r.nms) {
          const ref = TORCHVISION_NMS_MS[x.n];
          ctx.log(`nms ${x.n} on ${label}: ${x.ours.toFixed(2)} ms (tf.image ${x.theirs.toFixed(2)} ms, torchvision ${ref} ms), kept ${x.kept}/${x.keptTheirs}`);
          rows.push({
            suite: 'core-chromium', name: `nms ${x.n} boxes`, backend: label, value: x.ours, unit: 'ms',
            note: `torchvision CPU ${ref} ms; tf.image ${x.theirs.toFixed(1)} ms (x${(x.theirs / x.ours).toFixed(1)}); IoU 0.5, ${x.kept} kept${where}`,
          });
          rows.push({
            suite: 'core-chromium', name: `tf.image.nonMaxSuppressionAsync ${x.n} boxes`, backend: label, value: x.theirs, unit: 'ms',
            note: `tfjs built-in, same boxes (y1,x1,y2,x2), indices downloaded; ${x.keptTheirs} kept`,
          });
        }
        ctx.log(`boxIou ${r.iou.m}x${r.iou.m} on ${label}: ${r.iou.ms.toFixed(1)} ms`);
        rows.push({
          suite: 'core-chromium', name: `boxIou ${r.iou.m}x${r.iou.m}`, backend: label, value: r.iou.ms, unit: 'ms',
          note: `incl. argument checks and download of the [N,M] result${where}`,
        });
        const work = `${r.roi.k} RoIs, [1,64,64,256] map, 7x7 out`;
        ctx.log(`roiAlign ${r.roi.align.toFixed(0)} ms, cropAndResize+avgPool ${r.roi.crop.toFixed(0)} ms on ${label}`);
        rows.push({
          suite: 'core-chromium', name: 'roiAlign 7x7 sampling 2', backend: label, value: r.roi.align, unit: 'ms',
          note: `${work}; torchvision CPU ${TORCHVISION_ROI_ALIGN_MS} ms; ${(r.roi.align / r.roi.crop).toFixed(1)}x cropAndResize${where}`,
        });
        rows.push({
          suite: 'core-chromium', name: 'cropAndResize 14x14 + avgPool 2', backend: label, value: r.roi.crop, unit: 'ms',
          note: `${work}; the same sample grid, no gradient in tfjs`,
        });
      }
      await tab.close();
    } finally {
      await page.close();
    }
    return rows;
  },
};

export default suite;
