import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePage } from '../../bench/browser/serve-page';
import * as tf from '@tensorflow/tfjs';
import { runCoreCases, type CoreCasesResult } from './core-cases';

// The detection core in a real headless Chromium (the browser the course runs
// in) and in Node: the same seeded cases (core-cases.ts) on tfjs's CPU backend
// in Node (the backend every unit test in test/core checks against torchvision,
// pycocotools and the VOC devkit), on the CPU backend in Chromium and on WebGL
// (ANGLE on SwiftShader on machines without a GPU) must agree within 1e-4,
// NMS index lists and matches exactly, with no tensor left behind on any.
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

/** Every case of `got` against `want`: exact ones identical, the rest within TOL. */
function compare(got: CoreCasesResult, want: CoreCasesResult): { failures: string[]; worst: Array<[string, number]> } {
  const failures: string[] = [];
  const worst: Array<[string, number]> = [];
  const [g, w] = [got.backend, want.backend];
  for (const [name, expected] of Object.entries(want.cases)) {
    const actual = got.cases[name];
    if (!actual) {
      failures.push(`${name}: missing on ${g}`);
      continue;
    }
    if (actual.values.length !== expected.values.length) {
      failures.push(`${name}: ${actual.values.length} values on ${g}, ${expected.values.length} on ${w}`);
      continue;
    }
    if (expected.exact) {
      if (actual.values.some((v, i) => v !== expected.values[i])) failures.push(`${name}: [${actual.values}] on ${g}, [${expected.values}] on ${w}`);
      continue;
    }
    const { worst: d, at } = gap(actual.values, expected.values);
    worst.push([name, d]);
    if (!(d <= TOL)) failures.push(`${name}: gap ${d.toExponential(2)} at ${at} (${g} ${actual.values[at]}, ${w} ${expected.values[at]})`);
  }
  worst.sort((x, y) => y[1] - x[1]);
  return { failures, worst };
}

describe('the detection core on WebGL in Chromium gives the CPU answers of Chromium and of Node', () => {
  let page: Page;
  let cpu: CoreCasesResult;
  let webgl: CoreCasesResult;
  let nodeCpu: CoreCasesResult;

  beforeAll(async () => {
    // Node first: the unit project's setup selected the CPU backend; the cases select it again and say which ran.
    let t0 = performance.now();
    nodeCpu = await runCoreCases('cpu');
    const nodeMs = performance.now() - t0;
    page = await servePage(join(import.meta.dirname, 'core-page.ts'), false);
    const tab = await page.browser.newPage();
    await tab.goto(page.url);
    await tab.waitForFunction(() => 'runCoreCases' in globalThis);
    const run = (b: string) => tab.evaluate((name) => (globalThis as any).runCoreCases(name), b) as Promise<CoreCasesResult>;
    t0 = performance.now();
    cpu = await run('cpu');
    const cpuMs = performance.now() - t0;
    t0 = performance.now();
    webgl = await run('webgl');
    console.info(
      `core cases: node cpu ${nodeMs.toFixed(0)} ms, chromium cpu ${cpuMs.toFixed(0)} ms ${JSON.stringify(cpu.timings)}, ` +
        `webgl ${(performance.now() - t0).toFixed(0)} ms ${JSON.stringify(webgl.timings)}`,
    );
  });
  afterAll(async () => {
    await page?.close();
  });

  it('ran on the backends asked for, WebGL with float32 textures, and leaked no tensors', () => {
    expect(nodeCpu.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(cpu.backend).toBe('cpu');
    expect(webgl.backend).toBe('webgl');
    expect(webgl.float32Textures).toBe(true);
    expect(nodeCpu.leaked).toBe(0);
    expect(cpu.leaked).toBe(0);
    expect(webgl.leaked).toBe(0);
  });

  it('covers every op of the core, with the same cases in Node and in Chromium', () => {
    const names = Object.keys(nodeCpu.cases);
    expect(names.length).toBeGreaterThan(50);
    expect(Object.keys(cpu.cases)).toEqual(names);
    expect(Object.keys(webgl.cases)).toEqual(names);
    for (const op of [
      'boxIou', 'generalizedBoxIou', 'distanceBoxIou', 'completeBoxIou', 'boxArea', 'boxConvert', 'nms', 'batchedNms', 'softNms',
      'encodeBoxes', 'decodeBoxes', 'gridAnchors', 'matchByIou', 'sigmoidFocalLoss', 'smoothL1Loss', 'giouLoss', 'crossEntropy',
      'roiAlign', 'roiPool', 'evaluateCoco', 'evaluateVoc', 'empty inputs',
    ]) {
      expect(names.some((n) => n.startsWith(op)), op).toBe(true);
    }
    for (const [name, c] of Object.entries(nodeCpu.cases)) {
      if (!name.startsWith('evaluate')) expect(c.values.length, name).toBeGreaterThan(0);
    }
    // NMS really suppressed something, and the matcher found positives
    expect(nodeCpu.cases['nms iou 0.5'].values.length).toBeLessThan(300);
    expect(nodeCpu.cases['matchByIou'].values.some((m) => m >= 0)).toBe(true);
  });

  it.each([
    ['WebGL in Chromium', 'CPU in Node', () => [webgl, nodeCpu]],
    ['WebGL in Chromium', 'CPU in Chromium', () => [webgl, cpu]],
    ['CPU in Chromium', 'CPU in Node', () => [cpu, nodeCpu]],
  ] as const)('%s against %s: index lists (NMS, matches) identical, every float within 1e-4', (got, want, pick) => {
    const [g, w] = pick();
    const { failures, worst } = compare(g, w);
    console.info(`largest gaps, ${got} vs ${want}: ${worst.slice(0, 6).map(([n, d]) => `${n} ${d.toExponential(1)}`).join(', ')}`);
    expect(failures).toEqual([]);
  });
});
