import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage } from '../../bench/browser/serve-page';
import type { CoreCasesResult } from './core-page';

// The detection core in a real headless Chromium (the browser the course runs
// in): the same seeded cases on tfjs's CPU backend (reference) and on WebGL
// (ANGLE on SwiftShader on machines without a GPU) must agree within 1e-4,
// NMS index lists and matches exactly, with no tensor left behind on either.
type Page = Awaited<ReturnType<typeof servePage>>;

const TOL = 1e-4;

/** Largest gap, relative where |values| > 1; NaN/Infinity must match exactly. */
function gap(got: number[], want: number[]): { worst: number; at: number } {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i], want[i]];
    if (Object.is(g, w)) continue;
    const d = Number.isFinite(g) && Number.isFinite(w) ? Math.abs(g - w) / Math.max(1, Math.abs(w)) : Infinity;
    if (d > worst) [worst, at] = [d, i];
  }
  return { worst, at };
}

describe('in Chromium, the detection core on WebGL gives the CPU answers', () => {
  let page: Page;
  let cpu: CoreCasesResult;
  let webgl: CoreCasesResult;

  beforeAll(async () => {
    page = await servePage(join(import.meta.dirname, 'core-page.ts'), false);
    const tab = await page.browser.newPage();
    await tab.goto(page.url);
    await tab.waitForFunction(() => 'runCoreCases' in globalThis);
    const run = (b: string) => tab.evaluate((name) => (globalThis as any).runCoreCases(name), b) as Promise<CoreCasesResult>;
    let t0 = performance.now();
    cpu = await run('cpu');
    const cpuMs = performance.now() - t0;
    t0 = performance.now();
    webgl = await run('webgl');
    console.info(`core cases: cpu ${cpuMs.toFixed(0)} ms ${JSON.stringify(cpu.timings)}, webgl ${(performance.now() - t0).toFixed(0)} ms ${JSON.stringify(webgl.timings)}`);
  });
  afterAll(async () => {
    await page?.close();
  });

  it('ran on the backends asked for, WebGL with float32 textures, and leaked no tensors', () => {
    expect(cpu.backend).toBe('cpu');
    expect(webgl.backend).toBe('webgl');
    expect(webgl.float32Textures).toBe(true);
    expect(cpu.leaked).toBe(0);
    expect(webgl.leaked).toBe(0);
  });

  it('covers every op of the core', () => {
    const names = Object.keys(cpu.cases);
    expect(names.length).toBeGreaterThan(50);
    expect(Object.keys(webgl.cases)).toEqual(names);
    for (const op of [
      'boxIou', 'generalizedBoxIou', 'distanceBoxIou', 'completeBoxIou', 'boxArea', 'boxConvert', 'nms', 'batchedNms', 'softNms',
      'encodeBoxes', 'decodeBoxes', 'gridAnchors', 'matchByIou', 'sigmoidFocalLoss', 'smoothL1Loss', 'giouLoss', 'crossEntropy',
      'roiAlign', 'roiPool', 'evaluateCoco', 'evaluateVoc',
    ]) {
      expect(names.some((n) => n.startsWith(op)), op).toBe(true);
    }
    for (const [name, c] of Object.entries(cpu.cases)) {
      if (!name.startsWith('evaluate')) expect(c.values.length, name).toBeGreaterThan(0);
    }
    // NMS really suppressed something, and the matcher found positives
    expect(cpu.cases['nms iou 0.5'].values.length).toBeLessThan(300);
    expect(cpu.cases['matchByIou'].values.some((m) => m >= 0)).toBe(true);
  });

  it('index lists (NMS, matches) are identical; every float agrees within 1e-4', () => {
    const failures: string[] = [];
    const worstAll: Array<[string, number]> = [];
    for (const [name, want] of Object.entries(cpu.cases)) {
      const got = webgl.cases[name];
      if (got.values.length !== want.values.length) {
        failures.push(`${name}: ${got.values.length} values on webgl, ${want.values.length} on cpu`);
        continue;
      }
      if (want.exact) {
        if (got.values.some((v, i) => v !== want.values[i])) failures.push(`${name}: [${got.values}] on webgl, [${want.values}] on cpu`);
        continue;
      }
      const { worst, at } = gap(got.values, want.values);
      worstAll.push([name, worst]);
      if (!(worst <= TOL)) failures.push(`${name}: gap ${worst.toExponential(2)} at ${at} (webgl ${got.values[at]}, cpu ${want.values[at]})`);
    }
    worstAll.sort((x, y) => y[1] - x[1]);
    console.info(`largest webgl-cpu gaps: ${worstAll.slice(0, 6).map(([n, g]) => `${n} ${g.toExponential(1)}`).join(', ')}`);
    expect(failures).toEqual([]);
  });
});
