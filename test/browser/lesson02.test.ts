import { describe, expect, it } from 'vitest';
import { cellByName, cellErrorText, chromiumForTests, editAndRun, openPage, realErrors, setRangeValue, tensorCount, waitForCells } from './harness';

/**
 * Lesson 2 in a real Chromium, what the crawl of every lesson
 * (test/browser/lessons.test.ts: settles with no cell error, every slider
 * changes another cell's output, tensors back to baseline after the re-runs)
 * does not cover: the page trains nothing on load (every training cell waits
 * for its button); a "Retrain live" run trains through the course loop with a
 * progress bar, draws its figure, and Stop ends it, leaving the tensors it
 * found; the "try it" cell names the argument a reader got wrong; the
 * side-by-side plain/residual run records per-layer gradient norms for both;
 * the zoo table, run in the page, builds every full-size model one at a time
 * and finds torchvision's parameter counts.
 */
const LESSON = '/lessons/02-classic-cnns/index.html';

const browser = chromiumForTests();

type Panel = { status: string; history: Record<string, number>[]; result?: { rate: number; curves: { step: number; train: number; test: number }[] } };

describe('lesson 2: classic CNNs', () => {
  it('opens on the shipped runs: every training cell waits for its button', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const states = await waitForCells(page, { timeout: 300_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(states.filter((c) => c.norun).map((c) => c.name).sort()).toEqual(['activationLive', 'augmentLive', 'auxLive', 'dropoutLive', 'resnetRun', 'zooTable']);
      // the shipped figures of the four small runs are drawn (hidden cells: found by what they show)
      const shown = page.locator('.vn-cell-output', { hasText: 'Shipped run' });
      expect(await shown.count()).toBe(4);
      for (let i = 0; i < 4; i++) expect(await shown.nth(i).locator('svg').count(), `shipped figure ${i}`).toBeGreaterThanOrEqual(1);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('Retrain live: the dropout run trains with progress, draws its figure; Stop ends a run; tensors come back', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const baseline = await tensorCount(page);
      const cell = await cellByName(page, 'dropoutLive');
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain('train.experiments.dropoutExperiment(');
      // The same experiment cut to 3 steps (the loop evaluates after its last step, so the figure has one point).
      const short = original.replace(
        /liveIdea\(\(\) => (train\.experiments\.dropoutExperiment\([^)]*\))/,
        'liveIdea(async () => { const e = await $1; return { ...e, steps: 3, fitOptions: { ...e.fitOptions, steps: 3 } }; }',
      );
      expect(short).not.toBe(original);
      await editAndRun(page, cell, short);
      const status = cell.locator('.vn-train-status');
      await expect.poll(() => status.innerText(), { timeout: 300_000 }).toMatch(/^Done after 3 steps/);
      await expect.poll(() => cell.locator('.idea-run').evaluate((el) => !!(el as unknown as { value: Panel }).value.result), { timeout: 60_000 }).toBe(true);
      const value = await cell.locator('.idea-run').evaluate((el) => (el as unknown as { value: Panel }).value);
      expect(value.status).toBe('done');
      expect(value.history).toHaveLength(3);
      expect(value.result!.rate).toBe(0.5);
      expect(value.result!.curves.map((c) => c.step)).toEqual([3]);
      for (const c of value.result!.curves) expect(c.train >= 0 && c.train <= 1 && c.test >= 0 && c.test <= 1).toBe(true);
      expect(await cell.locator('svg').count()).toBeGreaterThanOrEqual(2);
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(baseline);

      // The full run, stopped after a few steps: the experiment is disposed, the page holds what it held.
      await editAndRun(page, cell, original);
      const bar = cell.locator('progress.vn-train-bar');
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
      await cell.locator('button.vn-train-stop').click();
      await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/^Stopped after \d+ steps/);
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(baseline);
      expect(await cellErrorText(cell)).toBe('');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the try-it cell names the argument that is wrong: depth, widthMultiplier, an unknown backbone', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const cell = await cellByName(page, 'tryIt');
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain("'resnet_tiny'");
      const cases: [string, RegExp][] = [
        [original.replace(/depth: \d+/, 'depth: 30'), /'depth' must be 6n \+ 2 for n = 1\.\.18 \(8, 14, 20, 26, 32.*got 30/s],
        [original.replace(/widthMultiplier: [\d.]+/, 'widthMultiplier: 0'), /'widthMultiplier' must be a number > 0 \(1 is the standard width\), got 0/],
        [original.replace("'resnet_tiny'", "'resnet_huge'"), /'name' must be one of [\s\S]*'resnet18'[\s\S]*got 'resnet_huge'/],
      ];
      for (const [code, message] of cases) {
        expect(code).not.toBe(original);
        await editAndRun(page, cell, code);
        await expect.poll(() => cellErrorText(cell), { timeout: 60_000 }).toMatch(message);
      }
      await editAndRun(page, cell, original);
      await expect.poll(() => cell.getAttribute('data-state'), { timeout: 60_000 }).toBe('fulfilled');
      expect(await cellErrorText(cell)).toBe('');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the side-by-side run trains both nets with the course loop and draws loss and per-layer gradient norms', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const depth = await cellByName(page, 'resDepth');
      await setRangeValue(depth.locator('input[type=range]'), 14);
      await waitForCells(page, { timeout: 300_000 });
      const cell = await cellByName(page, 'resnetRun');
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain('train.liveSteps(');
      const code = original.replace(/const steps = \d+;/, 'const steps = 12;');
      expect(code).not.toBe(original);
      await editAndRun(page, cell, code);
      const status = cell.locator('.vn-train-status');
      await expect.poll(() => status.innerText(), { timeout: 600_000 }).toMatch(/^Done after 12 steps/);
      const value = await cell.locator('.residual-run').evaluate((el) => (el as unknown as { value: { status: string; history: Record<string, number>[]; gradRows: { step: number; layer: number; norm: number; net: string }[] } }).value);
      expect(value.status).toBe('done');
      expect(value.history).toHaveLength(12);
      for (const m of value.history) expect(m.loss).toBeCloseTo(m.plainLoss + m.residualLoss, 4);
      // depth 14 = 6*2 + 2: 13 main-path convolutions per net, measured at steps 0, 10 and 12
      for (const net of ['plain', 'residual']) {
        const rows = value.gradRows.filter((r) => r.net === net);
        expect([...new Set(rows.map((r) => r.step))]).toEqual([0, 10, 12]);
        expect(rows.filter((r) => r.step === 0).map((r) => r.layer)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
        expect(rows.every((r) => Number.isFinite(r.norm) && r.norm > 0)).toBe(true);
      }
      expect(await cell.locator('svg').count()).toBeGreaterThanOrEqual(2);
      expect(await cellErrorText(cell)).toBe('');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the zoo table, run in the page, builds each full-size model, profiles it, frees it: torchvision\'s counts', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const baseline = await tensorCount(page);
      const cell = await cellByName(page, 'zooTable');
      await cell.getByRole('button', { name: 'Run this cell' }).click();
      await expect.poll(() => cell.locator('.vn-cell-output').innerText(), { timeout: 1_200_000, interval: 2000 }).toMatch(/models built, profiled and freed one at a time/);
      type Row = { model: string; params: number; 'torchvision params': number; GMACs: number; 'torchvision GMACs': number | null };
      const rows = (await cell.locator('.zoo-table').evaluate((el) => (el as unknown as { value: Row[] }).value)) as Row[];
      // every registered full-size model: the CNNs, the ViTs and Swin-T
      expect(rows.map((r) => r.model)).toEqual(expect.arrayContaining(['alexnet', 'vgg11', 'vgg16', 'googlenet', 'resnet18', 'resnet34', 'resnet50', 'vit_b_16', 'vit_b_32']));
      for (const r of rows) {
        expect(r.params, r.model).toBe(r['torchvision params']);
        if (r['torchvision GMACs'] != null) expect(Math.abs(r.GMACs / r['torchvision GMACs'] - 1), r.model).toBeLessThan(0.03);
      }
      // each model was disposed after its profile
      expect(await tensorCount(page)).toBe(baseline);
      expect(await cellErrorText(cell)).toBe('');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
