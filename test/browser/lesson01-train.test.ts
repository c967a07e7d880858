import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForTests, cellByName, openPage, realErrors, tensorCount } from './harness';

/**
 * Lesson 1's norun "Retrain both from scratch" cell, which trains through the
 * course's loop (train.liveSteps → train.train) inside ui.liveTraining. Its
 * 300 steps are cut down with its steps knob, as a reader would.
 */
const LESSON = '/lessons/01-convolution/index.html';

const browser = chromiumForTests();

/** Sets the "steps" knob of the retrain cell's form (the number box of its first slider), as a reader would type it. */
async function setSteps(page: Page, steps: number): Promise<void> {
  const knobs = await cellByName(page, 'retrainKnobs');
  const box = knobs.locator('input[type=number]').first();
  await box.fill(String(steps));
  await box.dispatchEvent('input');
  await expect.poll(() => knobs.locator('input[type=range]').first().inputValue()).toBe(String(steps));
}

describe('lesson 1: retraining with the course loop', () => {
  it('runs a few steps with progress, loss terms, evaluation and a finished state; Stop ends a long run and frees the optimizer', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const cell = await cellByName(page, 'retrain');
      expect(await cell.getAttribute('data-state')).toBe('idle');
      expect(await cell.getByRole('button', { name: 'Run this cell' }).isVisible()).toBe(true);
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain('train.liveSteps(');
      expect(original).not.toContain('trainOnBatch');

      // the knobs reach the cell: steps, learning rate and both widths
      for (const knob of ['steps', 'learningRate', 'mlpWidth', 'cnnWidth']) expect(original).toContain(knob);
      await setSteps(page, 6);
      await cell.getByRole('button', { name: 'Run this cell' }).click();
      const status = cell.locator('.vn-train-status');
      const bar = cell.locator('progress.vn-train-bar');
      await expect.poll(() => status.innerText(), { timeout: 300_000 }).toMatch(/^Done after 6 steps/);
      expect(await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([6, 6]);
      const done = await status.innerText();
      // the loop's loss terms, its evaluation (every min(100, steps) = 6 steps) and its throughput reach the panel
      for (const key of ['mlpLoss', 'cnnLoss', 'cnnAcc', 'mlpAccShift4', 'img/s']) expect(done).toContain(key);
      const history = await cell.locator('.vn-train').evaluate((el) => (el as unknown as { value: { history: Record<string, number>[]; status: string } }).value);
      expect(history.status).toBe('done');
      expect(history.history).toHaveLength(6);
      for (const m of history.history) {
        expect(Number.isFinite(m.mlpLoss) && Number.isFinite(m.cnnLoss)).toBe(true);
        expect(m.loss).toBeCloseTo(m.mlpLoss + m.cnnLoss, 4);
      }
      expect(history.history[5].cnnAcc).toBeGreaterThanOrEqual(0);
      expect(await cell.locator('button.vn-train-stop').isDisabled()).toBe(true);
      expect(await cell.getAttribute('data-state')).toBe('fulfilled');
      // two fresh models kept by the cell, the optimizer of the loop already gone
      const afterShortRun = await tensorCount(page);

      // a long run, stopped by the reader part way: changing a knob starts a new run
      await setSteps(page, 5000);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.max), { timeout: 60_000 }).toBe(5000);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 300_000 }).toBeGreaterThanOrEqual(3);
      await cell.locator('button.vn-train-stop').click();
      await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/^Stopped after \d+ steps/);
      const stoppedAt = await bar.evaluate((p: HTMLProgressElement) => p.value);
      expect(stoppedAt).toBeLessThan(5000);
      // the stopped loop closed: its Adam slots are disposed, leaving what the short run left (two models)
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(afterShortRun);
      expect(await bar.evaluate((p: HTMLProgressElement) => p.value)).toBe(stoppedAt);
      expect(await cell.locator('.vn-cell-error').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
