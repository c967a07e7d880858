import { join } from 'node:path';
import { assets as dataAssets } from '../../scripts/assets/data';
import { assets as weightAssets } from '../../scripts/assets/weights';
import { listSceneDetectors } from '../../src/models/detectors/index';
import { servePage } from '../browser/serve-page';
import type { BenchRow, BenchSuite } from '../types';

/** AP50 the "train from scratch" row times, on the benchmark's first EVAL_COUNT scenes every EVAL_EVERY steps. */
const TARGET = 0.5;
const EVAL_EVERY = 25;
const EVAL_COUNT = 20;

/**
 * The shipped scene detectors in a real Chromium: detect ms/image and one
 * training step's ms on wasm (with the course's training kernels) and webgl
 * (SwiftShader without a GPU, named in the note), for every `SCENE_DETECTORS`
 * entry; and the time a learner's "train from scratch" takes on wasm to reach
 * AP50 0.5 (course recipe, evaluated every 25 steps on 20 benchmark scenes),
 * or the AP50 it had when the time cap ran out.
 */
const suite: BenchSuite = {
  name: 'scene-detection-chromium',
  async run(ctx) {
    let page: Awaited<ReturnType<typeof servePage>>;
    try {
      page = await servePage(join(import.meta.dirname, '../browser/scene-detection-page.ts'), false, [], [...dataAssets.filter((a) => a.url === 'data/mnist.bin'), ...weightAssets]);
    } catch (e) {
      ctx.log(`scene-detection-chromium: Chromium unavailable (${(e as Error).message})`);
      return [];
    }
    const rows: BenchRow[] = [];
    try {
      const p = await page.browser.newPage();
      p.setDefaultTimeout(0);
      await p.goto(page.url);
      await p.waitForFunction(() => 'runSceneTiming' in globalThis);
      const renderer = (await p.evaluate(() => (globalThis as any).detectSoftwareRenderer())) as { webgl?: string };
      const timing = async (name: string, backend: 'wasm' | 'webgl') => {
        const reps = ctx.quick || backend === 'webgl' ? { detect: 3, step: 2 } : { detect: 10, step: 5 };
        const extra = backend === 'webgl' ? `renderer ${renderer.webgl ?? 'unknown'}; ` : '';
        try {
          const r = (await p.evaluate(([n, b, k]) => (globalThis as any).runSceneTiming(n, b, k), [name, backend, reps] as const)) as { detectMs: number; stepMs: number; batchSize: number; leaked: number };
          ctx.log(`${name} on chromium-${backend}: detect ${r.detectMs.toFixed(0)} ms, step ${r.stepMs.toFixed(0)} ms (leaked ${r.leaked})`);
          const leak = r.leaked ? `; LEAKED ${r.leaked} tensors` : '';
          rows.push({ suite: 'scene-detection', name: `${name} detect`, backend: `chromium-${backend}`, value: r.detectMs, unit: 'ms/image', note: `${extra}median of ${reps.detect}${leak}` });
          rows.push({ suite: 'scene-detection', name: `${name} train step`, backend: `chromium-${backend}`, value: r.stepMs, unit: 'ms', note: `${extra}batch ${r.batchSize}, Adam, median of ${reps.step}${leak}` });
        } catch (e) {
          rows.push({ suite: 'scene-detection', name: `${name} detect + train step`, backend: `chromium-${backend}`, value: Number.NaN, unit: 'n/a', note: `${extra}failed: ${(e as Error).message.split('\n')[0]}` });
        }
      };
      const names = listSceneDetectors();
      for (const name of names) {
        await timing(name, 'wasm');
        const maxSeconds = ctx.quick ? 60 : 900;
        const r = (await p.evaluate(
          ([n, o]) => (globalThis as any).runTimeToAp50(n, 'wasm', o),
          [name, { target: TARGET, every: EVAL_EVERY, evalCount: EVAL_COUNT, maxSeconds, steps: 100000 }] as const,
        )) as { reached: { step: number; seconds: number } | null; history: { step: number; seconds: number; AP50: number }[] };
        const last = r.history.at(-1);
        const curve = r.history.map((h) => `${h.step}:${(100 * h.AP50).toFixed(0)}`).join(' ');
        ctx.log(`${name}: time to AP50 ${TARGET} from scratch on chromium-wasm: ${r.reached ? `${r.reached.seconds.toFixed(0)} s` : 'not reached'}; ${curve}`);
        rows.push({
          suite: 'scene-detection', name: `${name} time to AP50 ${TARGET} from scratch`, backend: 'chromium-wasm',
          value: r.reached ? r.reached.seconds : Number.NaN, unit: r.reached ? 's' : 'n/a',
          note: r.reached
            ? `step ${r.reached.step}; course recipe, AP50 on ${EVAL_COUNT} benchmark scenes every ${EVAL_EVERY} steps (eval time included)`
            : `not reached in ${maxSeconds} s (AP50 ${last ? (100 * last.AP50).toFixed(1) : '-'}% at step ${last?.step ?? 0}); step:AP50% ${curve}`,
        });
      }
      // Last: WebGL under SwiftShader can take the page down, and the rows above are kept.
      for (const name of names) await timing(name, 'webgl');
    } finally {
      await page.close();
    }
    return rows;
  },
};

export default suite;
