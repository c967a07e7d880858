import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellByName, chromiumForTests, openPage, realErrors, tensorCount, waitForCells } from './harness';

/**
 * Lesson 14 beyond the page-load crawl: the grid knobs move the taps (the
 * hand-worked mean equals core.deformConv2d's output), the tap slider walks the
 * bilinear corners, the learned-points and mask knobs change their figures, the
 * shipped table is computed in the page, the side-by-side retrain runs a few
 * steps, a long run stops on Stop, and tensors return to their baseline.
 */
const LESSON = '/lessons/14-deformable-conv/index.html';
const browser = chromiumForTests();

/** Types `value` into the `index`-th number box of the cell `name` (a slider or a form of sliders). */
async function setKnob(page: Page, name: string, index: number, value: number, settle = true): Promise<void> {
  const cell = await cellByName(page, name);
  const box = cell.locator('input[type=number]').nth(index);
  await box.fill(String(value));
  await box.dispatchEvent('input');
  await box.press('Enter');
  if (settle) await waitForCells(page, { timeout: 180_000 });
}

/** The text of the last cell output that mentions `text`. */
async function outputWith(page: Page, text: string): Promise<string> {
  const out: Locator = page.locator('.vn-cell-output').filter({ hasText: text }).last();
  await out.waitFor({ timeout: 60_000 });
  return out.innerText();
}

describe('lesson 14: deformable convolution', () => {
  it('knobs change the figures, the hand-worked sample equals the core, training starts and stops, tensors return', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const states = await waitForCells(page, { timeout: 300_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
      const before = await tensorCount(page);

      // The mean of the nine bilinear samples, by hand in the cell, equals core.deformConv2d's map.
      const agree = (t: string) => {
        const m = /by hand (-?\d+(?:\.\d+)?); read from core.deformConv2d's map (-?\d+(?:\.\d+)?)/.exec(t);
        expect(m, t).not.toBeNull();
        expect(Math.abs(Number(m![1]) - Number(m![2]))).toBeLessThanOrEqual(0.001);
        return m![1];
      };
      const first = agree(await outputWith(page, 'by hand'));
      await setKnob(page, 'gridKnobs', 4, 2); // shift Δx
      await setKnob(page, 'gridKnobs', 6, -60); // rotation
      await expect.poll(async () => agree(await outputWith(page, 'by hand'))).not.toBe(first);

      const corners = await outputWith(page, 'the weights sum to');
      expect(corners).toMatch(/the weights sum to 1\.0000/);
      await setKnob(page, 'tapIndex', 0, 6);
      expect(await outputWith(page, 'the weights sum to')).not.toBe(corners);
      expect(await outputWith(page, 'the weights sum to')).toMatch(/^Tap 6 at/m);

      const learned = await outputWith(page, 'classifier says');
      await setKnob(page, 'learnedKnobs', 0, 21); // another digit
      expect(await outputWith(page, 'classifier says')).not.toBe(learned);

      const masks = await outputWith(page, 'masks (');
      await setKnob(page, 'maskDigit', 0, 40);
      expect(await outputWith(page, 'masks (')).not.toBe(masks);

      // The shipped models are scored in the page.
      expect(await outputWith(page, 'warped test (500)')).toMatch(/DCN v1[\s\S]*\d+\.\d%/);
      expect(await tensorCount(page)).toBe(before);

      // Retrain: a short run to the end, then a long one stopped by the reader.
      await setKnob(page, 'retrainKnobs', 0, 10, false);
      const cell = await cellByName(page, 'retrain');
      await cell.getByRole('button', { name: 'Run this cell' }).click();
      const status = cell.locator('.vn-train-status');
      const bar = cell.locator('progress.vn-train-bar');
      await expect.poll(() => status.innerText(), { timeout: 600_000 }).toMatch(/^Done after 10 steps/);
      const done = await status.innerText();
      for (const key of ['regularLoss', 'dcnLoss', 'regularAcc', 'dcnAcc']) expect(done).toContain(key);
      const afterShortRun = await tensorCount(page);
      await setKnob(page, 'retrainKnobs', 0, 2000, false);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.max), { timeout: 60_000 }).toBe(2000);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 600_000 }).toBeGreaterThanOrEqual(2);
      await cell.locator('button.vn-train-stop').click();
      await expect.poll(() => status.innerText(), { timeout: 120_000 }).toMatch(/^Stopped after \d+ steps/);
      // the stopped loop freed its optimizer: what is left is the two fresh models, as after the short run
      await expect.poll(() => tensorCount(page), { timeout: 60_000 }).toBe(afterShortRun);
      expect(await cell.locator('.vn-cell-error').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
