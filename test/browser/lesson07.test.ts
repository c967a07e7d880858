import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellByName, chromiumForTests, openPage, realErrors, waitForCells } from './harness';

/**
 * Lesson 7's interactions (issue 18): the ranked table behind the PR curve,
 * with the picked row ringed on the curve, and one detection dragged or
 * rescored by the reader, which every count, the curve and AP follow.
 */
const LESSON = '/lessons/07-evaluating-detectors/index.html';

const browser = chromiumForTests();

interface RankRow {
  rank: number;
  score: number;
  verdict: string;
  tp: number;
  fp: number;
  precision: number;
  recall: number;
}

/** The ranked table's rendered rows (the first ones the table has drawn). */
async function rankedRows(page: Page): Promise<RankRow[]> {
  const table = await cellByName(page, 'rankRow');
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const td = Array.from(tr.querySelectorAll('td'), (c) => c.textContent ?? '');
      // column 0 is the radio button; then rank, score, TP / FP, TP so far, FP so far, precision, recall, scene
      return { rank: Number(td[1]), score: Number(td[2]), verdict: td[3]!, tp: Number(td[4]), fp: Number(td[5]), precision: Number(td[6]), recall: Number(td[7]) };
    }),
  );
}

async function positives(page: Page): Promise<number> {
  const counts = page.locator('.vn-cell-output', { hasText: /digits in \d+ scenes/ });
  return Number(/(\d+) digits in/.exec(await counts.innerText())![1]);
}

describe('lesson 7: the ranked table and one movable detection', () => {
  it('each row counts TP and FP down the ranking, and the picked row is ringed on the PR curve', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const rows = await rankedRows(page);
      expect(rows.length).toBeGreaterThanOrEqual(12);
      const gt = await positives(page);
      let tp = 0;
      rows.forEach((r, k) => {
        expect(r.rank).toBe(k + 1);
        if (k > 0) expect(r.score).toBeLessThanOrEqual(rows[k - 1]!.score);
        tp += r.verdict === 'TP' ? 1 : 0;
        expect([r.tp, r.fp]).toEqual([tp, r.rank - tp]);
        // the table's precision and recall are the page's evaluateVoc values, to the 3 decimals shown
        expect(Math.abs(r.precision - tp / r.rank)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(r.recall - tp / gt)).toBeLessThanOrEqual(0.0005 + 1e-9);
      });

      const table = await cellByName(page, 'rankRow');
      const picked = page.locator('.vn-picked-row');
      for (const k of [2, 6]) {
        await table.locator('tbody tr').nth(k).locator('input').check();
        const row = rows[k]!;
        await expect.poll(() => picked.innerText(), { timeout: 60_000 }).toContain(`rank ${row.rank},`);
        const text = await picked.innerText();
        expect(text).toContain(`${row.verdict}, precision ${row.tp}/${row.rank} = ${row.precision.toFixed(3)}`);
        expect(text).toContain(`recall ${row.tp}/${gt} = ${row.recall.toFixed(3)}`);
        // the ring's label is drawn in the curve's SVG
        const prPlot = page.locator('.vn-cell').filter({ has: picked });
        expect(await prPlot.locator('svg text', { hasText: `rank ${row.rank} (${row.verdict})` }).count()).toBe(1);
      }
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('dragging a true positive off its digit makes it a false positive and lowers AP; a lower score moves it down the ranking', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const report = page.locator('.vn-edit-report');
      const editor = page.locator('.vn-edit-detection');
      const apShown = async () => Number(/all-point AP = ([\d.]+)/.exec(await page.locator('.vn-cell-output', { hasText: 'all-point AP =' }).innerText())![1]);
      const ap0 = await apShown();

      // touch the score without changing it: the report appears for the unchanged box
      const score = editor.locator('input[type=number]').first();
      const start = Number(await score.inputValue());
      await score.fill(String(start));
      await score.dispatchEvent('input');
      await expect.poll(() => report.count(), { timeout: 60_000 }).toBe(1);
      const before = await report.innerText();
      expect(before).toMatch(/It is now TP at rank \d+ of \d+/);
      const rank0 = Number(/at rank (\d+) of/.exec(before)![1]);

      // drag the box far to the bottom right: it leaves its digit
      const box = editor.locator('rect.vn-drag-box');
      await box.scrollIntoViewIfNeeded(); // the mouse only reaches what is in the viewport
      const b = (await box.boundingBox())!;
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
      await page.mouse.down();
      for (let s = 1; s <= 10; s++) await page.mouse.move(b.x + b.width / 2 + 40 * s, b.y + b.height / 2 + 40 * s);
      await page.mouse.up();
      await expect.poll(() => report.innerText(), { timeout: 60_000 }).toMatch(/It is now FP at rank/);
      await waitForCells(page);
      const moved = await report.innerText();
      const [, now, without] = /All-point AP ([\d.]+) \(without your edit ([\d.]+)\)/.exec(moved)!.map(Number);
      expect(without).toBeCloseTo(ap0, 4);
      expect(now).toBeLessThan(without!);
      // the curve's own AP readout follows the edit
      expect(await apShown()).toBeCloseTo(now!, 4);

      // the lowest score: the same box counts last in the ranking
      await score.fill('0');
      await score.dispatchEvent('input');
      await expect.poll(async () => Number(/at rank (\d+) of/.exec(await report.innerText())?.[1]), { timeout: 60_000 }).toBeGreaterThan(rank0);
      const last = /at rank (\d+) of (\d+)/.exec(await report.innerText())!;
      expect(Number(last[1])).toBe(Number(last[2]));
      const states = await waitForCells(page);
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
