import { describe, expect, it } from 'vitest';
import { cellByName, chromiumForTests, openPage, outputWith, realErrors, setRange, tensorCount, waitForCells } from './harness';

/**
 * Lesson 4 beyond the page-load crawl: the mask sliders change the mask (it is
 * computed by nn.swin.shiftedWindowMask), a shift >= window is refused in the
 * cell with a message naming shiftSize, and moving sliders leaves the page's
 * tensor count where it was.
 */
const LESSON = '/lessons/04-swin/index.html';
const browser = chromiumForTests();

describe('lesson 4: Swin', () => {
  it('sliders change the mask, a bad shift is refused in its cell, tensors return to baseline', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const states = await waitForCells(page, { timeout: 300_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
      // the shipped model's score is computed in the page
      expect(await (await outputWith(page, 'Shipped swin_tiny')).innerText()).toMatch(/Shipped swin_tiny: \d+\.\d% on 500 test digits/);
      const before = await tensorCount(page);
      expect(before).toBeGreaterThan(0);
      // 8x8 map, window 4, shift 2: 4 windows of 16 tokens; the right column and bottom row of windows are masked.
      const summary = await outputWith(page, 'pairs masked');
      const first = await summary.innerText();
      expect(first).toMatch(/4 windows/);
      await setRange(page, 'maskWindow', 2);
      await setRange(page, 'maskShift', 1);
      // window 2 on 8x8: 16 windows of 4 tokens
      await expect.poll(async () => (await outputWith(page, 'pairs masked')).innerText()).toMatch(/16 windows/);
      expect(await (await outputWith(page, 'pairs masked')).innerText()).not.toBe(first);
      await setRange(page, 'maskShift', 3);
      const refused = await outputWith(page, "'shiftSize'");
      expect(await refused.innerText()).toMatch(/'shiftSize' must be smaller than the window size \(2/);
      await setRange(page, 'maskShift', 1);
      await setRange(page, 'digitIndex', 10);
      await setRange(page, 'shiftChannel', 5);
      expect(await tensorCount(page)).toBe(before);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
