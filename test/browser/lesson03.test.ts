import { describe, expect, it } from 'vitest';
import { cellByName, cellStates, chromiumForTests, editAndRun, openPage, realErrors, setRangeValue, tensorCount, waitForCells } from './harness';

/**
 * Lesson 3 (Attention and ViT), what the crawl of every lesson
 * (test/browser/lessons.test.ts: settles with no cell error, every slider
 * changes another cell's output, tensors back to baseline after the re-runs)
 * does not cover: a patch size that does not divide 28 is answered with a
 * message naming patchSize and the allowed values; the norun re-run of one
 * experiment point trains through the course loop with a progress bar, scores
 * the 2,000 test digits, and Stop ends a long run.
 */
const LESSON = '/lessons/03-attention-vit/index.html';

const browser = chromiumForTests();

describe('lesson 3: attention and ViT', () => {
  it('a patch size that does not divide 28 gets a message naming patchSize and the allowed sizes, and no cell breaks', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const cell = await cellByName(page, 'patchSize');
      await setRangeValue(cell.locator('input[type=range]').first(), 5);
      await waitForCells(page, { timeout: 120_000 });
      const text = await page.locator('.vn-cell').allInnerTexts();
      // outputs only: a cell that shows its code has the message's template in its text too
      const shown = await page.locator('.vn-cell-output').allInnerTexts();
      const geometry = shown.find((t) => t.includes('does not divide the 28-pixel digit'));
      expect(geometry).toContain('patchSize: 5');
      expect(geometry).toContain('allowed patch sizes: 1, 2, 4, 7, 14, 28');
      // the builder's own message, shown by the profile cell
      expect(text.some((t) => t.includes('buildBackbone:') && /patchSize/.test(t))).toBe(true);
      const states = await cellStates(page);
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} (${c.name}): ${c.error}`)).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('re-runs one point live with the course loop: progress, a test score, Done; Stop ends a long run', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const cell = await cellByName(page, 'rerun');
      expect(await cell.getAttribute('data-state')).toBe('idle');
      const original = await cell.locator('.vn-cell-code').innerText();
      expect(original).toContain('train.liveSteps(');
      const run = async (steps: number) => {
        const code = original.replace(/const steps = p\.steps;/, `const steps = ${steps};`);
        expect(code).not.toBe(original);
        await editAndRun(page, cell, code);
      };
      const status = cell.locator('.vn-train-status');
      const bar = cell.locator('progress.vn-train-bar');

      await run(4);
      await expect.poll(() => status.innerText(), { timeout: 300_000 }).toMatch(/^Done after 4 steps/);
      const done = (await cell.locator('.vn-train').evaluate((el) => (el as unknown as { value: { history: Record<string, number>[]; status: string } }).value));
      expect(done.status).toBe('done');
      expect(done.history).toHaveLength(4);
      // evaluated after the last step on the 2,000 test digits
      const testAcc = done.history[3].testAcc;
      expect(testAcc >= 0 && testAcc <= 1, `testAcc ${testAcc}`).toBe(true);
      expect(await status.innerText()).toContain('testAcc');
      expect(await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([4, 4]);
      const afterShort = await tensorCount(page);

      await run(5000);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
      await cell.locator('button.vn-train-stop').click();
      await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/^Stopped after \d+ steps/);
      // the stopped loop disposed its optimizer; the fresh model replaced the short run's one
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(afterShort);
      expect(await cell.locator('.vn-cell-error').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
