import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForTests, cellByName, editAndRun, openPage, realErrors, tensorCount, waitForCells, waitForTf } from './harness';

/**
 * The life of a page's cells over time, on the authoring guide (its cells:
 * viewof stride, outputSize, image, training, ...) and a lesson: long work
 * leaves the page responsive, a re-run cancels the run it replaces, and
 * leaving a page disposes its runtime and every tensor its cells held.
 */
const GUIDE = '/docs/writing-a-lesson.html';
const LESSON = '/lessons/06-boxes-iou-nms/index.html';

const browser = chromiumForTests();

/** A training cell that never finishes by itself: every step burns ~20 ms and counts itself in `window.__steps`. */
const ENDLESS = `training = {
  window.__steps = 0;
  return ui.liveTraining({
    steps: 1e9,
    label: 'endless',
    step: () => {
      const until = performance.now() + 20;
      while (performance.now() < until) {}
      window.__steps++;
      return { loss: 1 / window.__steps };
    },
  });
}`;

const steps = (page: Page) => page.evaluate(() => (window as unknown as { __steps?: number }).__steps ?? 0);

describe('long work, re-runs and leaving a page', () => {
  it('a running training cell leaves the page responsive: frames paint and inputs still update their cells', async () => {
    const { page, errors, close } = await openPage(GUIDE, { browser: browser() });
    try {
      const training = await cellByName(page, 'training');
      await editAndRun(page, training, ENDLESS);
      await expect.poll(() => steps(page), { timeout: 30_000 }).toBeGreaterThan(5);
      // A loop that never yields would paint no frame at all in this second.
      const frames = await page.evaluate(
        () =>
          new Promise<number>((done) => {
            let n = 0;
            const end = performance.now() + 1000;
            const tick = () => (performance.now() < end ? (n++, requestAnimationFrame(tick)) : done(n));
            requestAnimationFrame(tick);
          }),
      );
      expect(frames).toBeGreaterThan(5);
      // Another cell reacts to its slider while the run goes on.
      const out = await cellByName(page, 'outputSize');
      const stride = await cellByName(page, 'stride');
      await stride.locator('input[type=range]').evaluate((el: HTMLInputElement) => {
        el.value = '1';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await expect.poll(() => out.locator('.vn-cell-output').innerText(), { timeout: 30_000 }).toMatch(/28\s*$/);
      const during = await steps(page);
      await expect.poll(() => steps(page), { timeout: 30_000 }).toBeGreaterThan(during);
      await training.locator('button.vn-train-stop').click();
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('re-running a training cell cancels the run it replaces', async () => {
    const { page, errors, close } = await openPage(GUIDE, { browser: browser() });
    try {
      const training = await cellByName(page, 'training');
      await editAndRun(page, training, ENDLESS);
      await expect.poll(() => steps(page), { timeout: 30_000 }).toBeGreaterThan(5);
      await editAndRun(page, training, 'training = "replaced"');
      await expect.poll(() => training.locator('.vn-cell-output').innerText(), { timeout: 30_000 }).toContain('replaced');
      // The old generator is gone: its step counter stands still from now on.
      const after = await steps(page);
      await page.waitForTimeout(500);
      expect(await steps(page)).toBe(after);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('leaving a lesson disposes its runtime and every tensor its cells held', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      await waitForTf(page);
      expect(await tensorCount(page)).toBeGreaterThan(0);
      // In-site navigation (VitePress's router), not a reload: the same tfjs stays loaded.
      await page.locator('.VPNavBar a', { hasText: 'Docs' }).first().click();
      await page.waitForURL(/\/docs\//, { timeout: 30_000 });
      await waitForCells(page);
      expect(await page.locator('.vn-cell').count()).toBe(0);
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
