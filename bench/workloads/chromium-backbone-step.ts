import { join } from 'node:path';
import { servePage } from '../browser/serve-page';
import type { BuildBackboneOptions } from '../../src/models/backbones/index';
import type { BenchContext, BenchRow } from '../types';

/** One Chromium measurement: a registered backbone with options, and the row name it belongs to. */
export interface ChromiumStepCase {
  name: string;
  backbone: string;
  options: BuildBackboneOptions;
}

/**
 * Times one Adam step of each case on Chromium's wasm (with the course's
 * training kernels) and webgl backends, through bench/browser/backbone-step-page.ts
 * (batch of 32 random digits, the same step as the Node workload). Chromium's
 * cpu backend is left out: it is the Node cpu reference again, ~100x slower
 * than wasm. webgl on a machine without a GPU is SwiftShader, named in the note.
 * Without a Chromium the suite keeps its Node rows and says so in the log.
 */
export async function chromiumStepRows(ctx: BenchContext, suite: string, cases: ChromiumStepCase[], reps: { wasm: number; webgl: number }): Promise<BenchRow[]> {
  let page: Awaited<ReturnType<typeof servePage>>;
  try {
    page = await servePage(join(import.meta.dirname, '../browser/backbone-step-page.ts'), false);
  } catch (e) {
    ctx.log(`${suite}: Chromium unavailable (${(e as Error).message}); Node rows only`);
    return [];
  }
  const rows: BenchRow[] = [];
  try {
    const p = await page.browser.newPage();
    await p.goto(page.url);
    await p.waitForFunction(() => 'runBackboneStep' in globalThis);
    const renderer = (await p.evaluate(() => (globalThis as any).detectSoftwareRenderer())) as { webgl?: string };
    for (const c of cases) {
      for (const backend of ['wasm', 'webgl'] as const) {
        const n = reps[backend];
        try {
          const r = (await p.evaluate(
            ([name, options, b, k]) => (globalThis as any).runBackboneStep(name, options, 32, b, k),
            [c.backbone, c.options, backend, n] as const,
          )) as { ms: number; min: number; leaked: number };
          const extra = backend === 'webgl' ? `renderer ${renderer.webgl ?? 'unknown'}; ` : '';
          ctx.log(`${c.name}: chromium-${backend} ${r.ms.toFixed(1)} ms (leaked ${r.leaked})`);
          rows.push({ suite, name: c.name, backend: `chromium-${backend}`, value: r.ms, unit: 'ms', note: `${extra}median of ${n}, min ${r.min.toFixed(1)} ms${r.leaked ? `; LEAKED ${r.leaked} tensors` : ''}` });
        } catch (e) {
          rows.push({ suite, name: c.name, backend: `chromium-${backend}`, value: Number.NaN, unit: 'n/a', note: `failed: ${(e as Error).message.split('\n')[0]}` });
        }
      }
    }
    await p.close();
  } finally {
    await page.close();
  }
  return rows;
}
