import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage } from '../../../bench/browser/serve-page';
import { curveGap } from '../../../bench/workloads/training-workloads';

// The same three training workloads as training-parity.test.ts, run inside a
// real headless Chromium (the browser the course runs in) on tfjs's CPU
// backend (reference) and on wasm with the course's kernels.
type Page = Awaited<ReturnType<typeof servePage>>;
type Result = { losses: Record<string, number[]>; leaked: number };

describe('in Chromium, training on wasm follows the CPU loss curve', () => {
  let page: Page;
  let tab: Awaited<ReturnType<Page['browser']['newPage']>>;

  beforeAll(async () => {
    page = await servePage(join(import.meta.dirname, '../../../bench/browser/train-step-page.ts'), false);
    tab = await page.browser.newPage();
    await tab.goto(page.url);
    await tab.waitForFunction(() => 'runWorkloads' in globalThis);
  });
  afterAll(async () => {
    await page?.close();
  });

  it("detects headless Chromium's SwiftShader WebGL as a software renderer", async () => {
    const r = (await tab.evaluate(() => (globalThis as any).detectSoftwareRenderer())) as { webgl?: string; webglSoftware?: boolean };
    // This machine has no GPU: Chromium's WebGL is ANGLE on SwiftShader.
    expect(r.webgl).toMatch(/SwiftShader/i);
    expect(r.webglSoftware).toBe(true);
  });

  it('small CNN with model.fit, ResNet block and detector head: same curves, no leaked tensors', async () => {
    const run = (b: string) => tab.evaluate((name) => (globalThis as any).runWorkloads(name), b) as Promise<Result>;
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(cpu.leaked).toBe(0);
    expect(wasm.leaked).toBe(0);
    expect(Object.keys(wasm.losses).sort()).toEqual(['detectorHead', 'resnetBlock', 'smallCnnFit']);
    for (const name of Object.keys(cpu.losses)) {
      expect(curveGap(wasm.losses[name], cpu.losses[name])).toBeLessThan(1e-4);
      expect(cpu.losses[name].at(-1)!).toBeLessThan(cpu.losses[name][0]);
    }
  });
});
