import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForTests, cellByName, cellStates, editAndRun, openPage, realErrors, tensorCount, waitForCells } from './harness';

/**
 * Lesson 8 in a real Chromium, beyond the crawl (test/browser/lessons.test.ts): the knobs the lesson names change
 * what they say they change (RoI edge → RoIPool's error, RPN NMS → proposals after NMS, score threshold → final
 * boxes, sizes/ratios → anchors, and a ratio ≤ 0 is refused naming 'aspectRatios'), the page's tensors return to their
 * baseline after each; the norun Faster R-CNN training starts, shows progress and per-loss curves, and Stop ends it
 * without leaking (a second run leaves the same count as the first).
 */
const LESSON = '/lessons/08-rcnn-family/index.html';
const browser = chromiumForTests();

async function setRange(cell: Locator, value: number): Promise<void> {
  await cell.locator('input[type=range]').evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function setText(cell: Locator, value: string): Promise<void> {
  await cell.locator('input[type=text]').evaluate((el, v) => {
    const input = el as HTMLInputElement;
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

async function outputOf(page: Page, name: string): Promise<string> {
  return (await cellByName(page, name)).locator('.vn-cell-output').innerHTML();
}

async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(300);
  const states = await waitForCells(page, { timeout: 600_000 });
  expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
}

describe('lesson 8: the R-CNN family', () => {
  it('knobs change their outputs and tensors return to the baseline; a ratio of 0 is refused by name', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      const states = await waitForCells(page, { timeout: 600_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
      expect(states.filter((c) => c.norun).map((c) => c.name).sort()).toEqual(['benchRun', 'liveRun']);
      const baseline = await tensorCount(page);

      // Each knob and the cell whose output it must change.
      const knobs: [string, number, string][] = [
        ['roiLeft', 13, 'roiFigure'],
        ['rpnNms', 0.4, 'proposalFigure'],
        ['numProposals', 60, 'proposalFigure'],
        ['scoreThreshold', 0.05, 'finalBoxes'],
        ['photoK', 0.8, 'photoFigure'],
        ['sceneStep', 5, 'sceneFigure'],
      ];
      for (const [knob, value, target] of knobs) {
        const cell = await cellByName(page, knob);
        const original = Number(await cell.locator('input[type=range]').inputValue());
        const before = await outputOf(page, target);
        await setRange(cell, value);
        await settle(page);
        expect(await outputOf(page, target), `${knob} did not change ${target}`).not.toBe(before);
        await setRange(cell, original);
        await settle(page);
        expect(await tensorCount(page), `tensors after moving ${knob} and back`).toBe(baseline);
      }

      // x1 = 10 px at stride 8 (the defaults): 1.25 cells rounds to 1 cell = 8 px, so RoIPool starts 2 px left of the RoI.
      const roiText = await page.locator('.vn-cell', { hasText: 'RoIPool reads cells' }).first().innerText();
      expect(roiText).toContain('-2.0 px off at the left edge');

      const ratios = await cellByName(page, 'anchorRatios');
      const anchors = await cellByName(page, 'anchorFigure');
      const anchorText = await anchors.innerText();
      await setText(ratios, '0.5, 1, 2, 3');
      await settle(page);
      await expect.poll(() => anchors.innerText(), { timeout: 60_000 }).not.toBe(anchorText);
      await setText(ratios, '1, 0');
      await page.waitForTimeout(300);
      await waitForCells(page, { timeout: 600_000 });
      const set = (await cellStates(page)).find((c) => c.name === 'anchorSet');
      expect(set?.state).toBe('rejected');
      expect(set?.error).toMatch(/cellAnchors: 'aspectRatios' must be a non-empty array of positive numbers, got \[1,0\]/);
      await setText(ratios, '0.5, 1, 2');
      await settle(page);
      expect((await cellStates(page)).filter((c) => c.state === 'rejected')).toEqual([]);
      expect(await tensorCount(page)).toBe(baseline);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  }, 1_800_000);

  it('training starts, shows progress and the four loss curves, Stop ends it, and a second run leaks nothing', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 600_000 });
    try {
      await waitForCells(page, { timeout: 600_000 });
      const cell = await cellByName(page, 'liveRun');
      expect(await cell.getAttribute('data-state')).toBe('idle');
      const counts: number[] = [];
      const code = await cell.locator('.vn-cell-code').innerText();
      for (let run = 0; run < 2; run++) {
        // The first run by the norun button; the second re-runs the same code (its kept detector is freed on re-run).
        if (run === 0) await cell.getByRole('button', { name: 'Run this cell', exact: true }).click();
        else await editAndRun(page, cell, code);
        const bar = cell.locator('progress.vn-train-bar');
        await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value).catch(() => 0), { timeout: 600_000 }).toBeGreaterThanOrEqual(2);
        await cell.locator('button.vn-train-stop').click();
        const status = cell.locator('.vn-train-status');
        await expect.poll(() => status.innerText(), { timeout: 300_000 }).toMatch(/^Stopped after \d+ steps/);
        const value = await cell.locator('.faster-run').evaluate((el) => (el as unknown as { value: { status: string; history: Record<string, number>[] } }).value);
        expect(value.status).toBe('stopped');
        expect(value.history.length).toBeGreaterThanOrEqual(2);
        for (const m of value.history) {
          for (const term of ['rpnObjectness', 'rpnBox', 'classifier', 'box']) expect(Number.isFinite(m[term]), term).toBe(true);
          expect(m.loss).toBeCloseTo(m.rpnObjectness + m.rpnBox + m.classifier + m.box, 3);
        }
        // the per-loss chart: one line per term
        expect(await cell.locator('svg [aria-label="line"] path, svg g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(4);
        await page.waitForTimeout(500);
        counts.push(await tensorCount(page));
      }
      expect(counts[1]).toBe(counts[0]);
      expect(await cell.locator('.vn-cell-error').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  }, 1_800_000);
});
