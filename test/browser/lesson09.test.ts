import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellByName, cellStates, chromiumForTests, openPage, realErrors, tensorCount, waitForCells } from './harness';

/**
 * Lesson 9 in a real Chromium: the page settles on the shipped Cascade R-CNN with no cell in error; every
 * slider changes some other cell's output, and moving it back leaves the page with the tensors it had; the
 * norun retrain runs the course loop (progress, a score after the last step, Done), Stop ends a long run, and
 * the tensors return to what the short run left.
 */
const LESSON = '/lessons/09-cascade-rcnn/index.html';

const browser = chromiumForTests();

function outputs(page: Page): Promise<string[]> {
  return page.$$eval('.vn-cell', (cells) => cells.map((c) => c.querySelector('.vn-cell-output')?.textContent ?? ''));
}

async function setSlider(slider: Locator, value: number): Promise<void> {
  await slider.evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

describe('lesson 9: Cascade R-CNN', () => {
  it('settles with no cell error; every slider changes an output; tensors return to baseline', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      const states = await waitForCells(page, { timeout: 600_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(states.filter((c) => c.norun).map((c) => c.name)).toEqual(['retrain']);
      const baseline = await tensorCount(page);
      expect(baseline).toBeGreaterThan(0);
      const sliders = page.locator('.vn-cell input[type=range]');
      const count = await sliders.count();
      expect(count).toBe(5);
      for (let i = 0; i < count; i++) {
        const slider = sliders.nth(i);
        const [value, max, step] = await slider.evaluate((el) => {
          const s = el as HTMLInputElement;
          return [Number(s.value), Number(s.max), Number(s.step)];
        });
        const before = await outputs(page);
        await setSlider(slider, value + step <= max ? value + step : value - step);
        await page.waitForTimeout(300);
        await waitForCells(page, { timeout: 600_000 });
        const after = await outputs(page);
        const own = await slider.evaluate((el) => Array.from(document.querySelectorAll('.vn-cell')).indexOf(el.closest('.vn-cell')!));
        expect(after.filter((t, j) => j !== own && t !== before[j]).length, `slider ${i} changed no output`).toBeGreaterThan(0);
        expect((await cellStates(page)).filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
        await setSlider(slider, value);
        await page.waitForTimeout(300);
        await waitForCells(page, { timeout: 600_000 });
        expect(await tensorCount(page), `tensors after moving slider ${i} and back`).toBe(baseline);
      }
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  }, 1_800_000);

  it('the retrain runs the course loop with progress and a score, and Stop ends a long run', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      await waitForCells(page, { timeout: 600_000 });
      const cell = await cellByName(page, 'retrain');
      expect(await cell.getAttribute('data-state')).toBe('idle');
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain('train.trainSceneDetector(');
      const run = async (steps: number) => {
        const code = original.replace(/const steps = \d+;/, `const steps = ${steps};`);
        expect(code).not.toBe(original);
        if (!(await cell.locator('.vn-cell-editor .cm-content').isVisible())) await cell.getByRole('button', { name: 'Edit', exact: true }).click();
        const content = cell.locator('.vn-cell-editor .cm-content');
        await content.waitFor();
        await content.click();
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText(code);
        await cell.getByRole('button', { name: 'Run', exact: true }).click();
      };
      const status = cell.locator('.vn-train-status');
      const bar = cell.locator('progress.vn-train-bar');
      const before = await tensorCount(page);

      await run(3);
      await expect.poll(() => status.innerText(), { timeout: 600_000 }).toMatch(/^Done after 3 steps/);
      const done = await cell.locator('.cascade-run').evaluate((el) => (el as unknown as { value: { history: Record<string, number>[]; status: string; evals: { step: number; AP50: number }[] } }).value);
      expect(done.status).toBe('done');
      expect(done.history).toHaveLength(3);
      for (const m of done.history) for (const k of ['loss', 'classifier1', 'classifier2', 'classifier3']) expect(Number.isFinite(m[k]), k).toBe(true);
      // scored on 5 benchmark scenes after the last step
      expect(done.evals.map((e) => e.step)).toEqual([3]);
      expect(done.evals[0].AP50 >= 0 && done.evals[0].AP50 <= 1).toBe(true);
      const afterShort = await tensorCount(page);
      expect(afterShort).toBeGreaterThan(before);

      await run(500);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 600_000 }).toBeGreaterThanOrEqual(1);
      await cell.locator('button.vn-train-stop').click();
      await expect.poll(() => status.innerText(), { timeout: 120_000 }).toMatch(/^Stopped after \d+ steps/);
      await expect.poll(() => tensorCount(page), { timeout: 60_000 }).toBe(afterShort);
      expect(await cell.locator('.vn-cell-error').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  }, 1_800_000);
});
