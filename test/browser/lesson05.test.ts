import { describe, expect, it } from 'vitest';
import { cellByName, chromiumForTests, openPage, outputWith, realErrors, setRange, tensorCount, waitForCells } from './harness';

/**
 * Lesson 5 beyond the page-load crawl: the shipped scores are recomputed in the
 * page and match the recipes' records; the power-law fit follows the chosen
 * width; the mask-ratio slider changes the reconstructions and refuses 0 and 1
 * in its cell with a message naming maskRatio; a short live DINO run shows
 * progress and its k-NN metric; slider moves leave the tensor count where it was.
 */
const LESSON = '/lessons/05-scale-self-supervision/index.html';
const browser = chromiumForTests();

describe('lesson 5: scale and self-supervision', () => {
  it('scores recomputed, power law follows the width, mask ratio slider and its refusal, a live DINO run, tensors back to baseline', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 400_000 });
    try {
      const states = await waitForCells(page, { timeout: 400_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);

      const maeText = await (await outputWith(page, 'Shipped MAE-tiny')).innerText();
      const [, mse, recorded] = /masked-patch MSE (\d\.\d+) on 500 test digits at 75% \(the recipe recorded (\d\.\d+)/.exec(maeText)!;
      expect(Math.abs(Number(mse) - Number(recorded))).toBeLessThanOrEqual(0.0015);
      const dinoText = await (await outputWith(page, 'shipped DINO-tiny teacher')).innerText();
      const [, knn, knnRecorded] = /teacher (\d+\.\d)% after \d+ unlabelled steps \(the recipe recorded (\d+\.\d)%/.exec(dinoText)!;
      expect(Math.abs(Number(knn) - Number(knnRecorded))).toBeLessThanOrEqual(0.4);

      const before = await tensorCount(page);
      expect(before).toBeGreaterThan(0);

      // the power law is fitted in the page, to the selected width
      const fitText = async () => (await outputWith(page, 'exponent α')).innerText();
      const wide = await fitText();
      const select = (await cellByName(page, 'fitWidth')).locator('select');
      await select.selectOption({ index: 0 });
      await waitForCells(page);
      await expect.poll(fitText).not.toBe(wide);
      expect(await fitText()).toMatch(/Fitted to width 4 .*exponent α = \d\.\d{3}/s);

      // mask ratio: 0.5 changes the reconstructions' numbers; 1 is refused in the cell
      const maeView = async () => (await outputWith(page, 'Masked-patch MSE on the 500 test digits')).innerText();
      const at75 = await maeView();
      expect(at75).toMatch(/the encoder sees 12 of 49 patches/);
      await setRange(page, 'maskRatio', 0.5);
      await expect.poll(maeView).toMatch(/the encoder sees 24 of 49 patches/);
      await setRange(page, 'maskRatio', 1);
      expect(await (await outputWith(page, "'maskRatio'")).innerText()).toMatch(/'maskRatio' must be a number strictly between 0 and 1/);
      await setRange(page, 'maskRatio', 0.75);
      await setRange(page, 'maskSeed', 3);
      // another mask draw: other patches hidden, so the shown digits' loss changes
      await expect.poll(maeView).toMatch(/with mask draw 3: \d\.\d{4}/);
      expect(await maeView()).not.toBe(at75);
      await setRange(page, 'maskSeed', 1);
      expect(await tensorCount(page)).toBe(before);

      // a short live DINO run: progress to the end, k-NN and collapse gauges measured
      await setRange(page, 'dinoSteps', 10);
      const cell = await cellByName(page, 'dinoLive');
      await cell.getByRole('button', { name: 'Run this cell' }).click();
      const status = cell.locator('.vn-train-status');
      await expect.poll(() => status.innerText(), { timeout: 400_000 }).toMatch(/^Done after 10 steps/);
      const done = await status.innerText();
      for (const key of ['loss', 'knn', 'spread', 'topShare']) expect(done).toContain(key);
      expect(await cell.locator('.vn-cell-error').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
