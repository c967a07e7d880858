import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForTests, cellByName, cellStates, editAndRun, openPage, realErrors, tensorCount, waitForCells } from './harness';

/**
 * Lesson 2 in a real Chromium: the page settles with no cell in error; every
 * slider changes what some cell shows, and moving it back leaves the page with
 * the tensors it had; the "try it" cell names the argument a reader got wrong;
 * the norun side-by-side training of a plain and a residual net runs through
 * the course loop and records per-layer gradient norms for both.
 */
const LESSON = '/lessons/02-classic-cnns/index.html';

const browser = chromiumForTests();

/** Every cell's output text, in page order: what a reader sees change. */
function outputs(page: Page): Promise<string[]> {
  return page.$$eval('.vn-cell', (cells) => cells.map((c) => c.querySelector('.vn-cell-output')?.textContent ?? ''));
}

/** Sets a range input to `value` the way a drag does (an input event). */
async function setSlider(slider: Locator, value: number): Promise<void> {
  await slider.evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function errorText(cell: Locator): Promise<string> {
  return (await cell.locator('.vn-cell-error').allInnerTexts()).join(' ');
}

describe('lesson 2: classic CNNs', () => {
  it('settles with no cell error; every slider changes an output; tensors return to baseline after the re-runs', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      const states = await waitForCells(page, { timeout: 600_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(states.filter((c) => c.norun).map((c) => c.name).sort()).toEqual(['resnetRun', 'zooTable']);
      const baseline = await tensorCount(page);
      expect(baseline).toBeGreaterThan(0);

      const sliders = page.locator('.vn-cell input[type=range]');
      const count = await sliders.count();
      // actDepth, dropRate, augShift, vggC, vggN, vggSize, incReduce3, incReduce5, auxWeight, resDepth
      expect(count).toBe(10);
      for (let i = 0; i < count; i++) {
        const slider = sliders.nth(i);
        const [value, min, max, step] = await slider.evaluate((el) => {
          const s = el as HTMLInputElement;
          return [Number(s.value), Number(s.min), Number(s.max), Number(s.step)];
        });
        const label = await slider.evaluate((el) => el.closest('form, label, div')?.textContent?.trim() ?? '');
        const before = await outputs(page);
        const moved = value + step <= max ? value + step : value - step;
        expect(moved).toBeGreaterThanOrEqual(min);
        await setSlider(slider, moved);
        // the slider's own readout changes at once; wait for the cells it drives, then compare the rest
        await page.waitForTimeout(300);
        await waitForCells(page, { timeout: 600_000 });
        const after = await outputs(page);
        // not only the slider's own cell (its number box follows it): some computed output downstream of it
        const sliderCell = await slider.evaluate((el) => Array.from(document.querySelectorAll('.vn-cell')).indexOf(el.closest('.vn-cell')!));
        const downstream = after.map((t, j) => (j !== sliderCell && t !== before[j] ? j : -1)).filter((j) => j >= 0);
        expect(downstream.length, `slider ${i} (${label}) changed no output`).toBeGreaterThan(0);
        const rejected = (await cellStates(page)).filter((c) => c.state === 'rejected');
        expect(rejected.map((c) => `${c.id} ${c.name}: ${c.error}`), `after moving slider ${i} (${label})`).toEqual([]);
        await setSlider(slider, value);
        await page.waitForTimeout(300);
        await waitForCells(page, { timeout: 600_000 });
        expect(await tensorCount(page), `tensors after moving slider ${i} (${label}) and back`).toBe(baseline);
      }
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
    // ten sliders, each moved and moved back, and some re-run small trainings: longer than the project's default
  }, 1_800_000);

  it('the try-it cell names the argument that is wrong: depth, widthMultiplier, an unknown backbone', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      const cell = await cellByName(page, 'tryIt');
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain("'resnet_tiny'");
      const cases: [string, RegExp][] = [
        [original.replace(/depth: \d+/, 'depth: 30'), /depth.*6n ?\+ ?2/s],
        [original.replace(/widthMultiplier: [\d.]+/, 'widthMultiplier: 0'), /widthMultiplier/],
        [original.replace("'resnet_tiny'", "'resnet_huge'"), /name[\s\S]*'resnet18'[\s\S]*'resnet_huge'/],
      ];
      for (const [code, message] of cases) {
        expect(code).not.toBe(original);
        await editAndRun(page, cell, code);
        await expect.poll(() => errorText(cell), { timeout: 60_000 }).toMatch(message);
      }
      await editAndRun(page, cell, original);
      await expect.poll(() => cell.getAttribute('data-state'), { timeout: 60_000 }).toBe('fulfilled');
      expect(await errorText(cell)).toBe('');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the side-by-side run trains both nets with the course loop and draws loss and per-layer gradient norms', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      const depth = await cellByName(page, 'resDepth');
      await setSlider(depth.locator('input[type=range]'), 14);
      await waitForCells(page, { timeout: 600_000 });
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
      expect(await errorText(cell)).toBe('');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
