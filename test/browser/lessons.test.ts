import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { lessonPages } from '../lessons/discover';
import { chromiumForTests, isSettled, openPage, overflowingOutputs, plumbingCells, realErrors, tensorCount, waitForCells, waitForTf, type CellState } from './harness';

/**
 * Every lesson page found on disk (`lessons/NN-slug/index.md`, so a copied-in
 * lesson is crawled with no list to edit): every cell settles with no error
 * and no console error; each slider changes what some other cell shows; and
 * after the sliders go back, tfjs holds exactly the tensors it held before
 * (every re-run freed what the run it replaced kept); no output is wider than
 * the lesson column; folded plumbing cells run like the others. Lesson-specific browser
 * tests keep only what is special to a lesson.
 */
const LESSONS = lessonPages(process.cwd());

/** What every cell except `skip` shows: its HTML and the pixels of its canvases. */
function outputs(page: Page, skip: string): Promise<string[]> {
  return page.$$eval(
    '.vn-cell',
    (cells, skipId) =>
      cells
        .filter((c) => c.getAttribute('data-cell-id') !== skipId)
        .map((c) => {
          const out = c.querySelector('.vn-cell-output');
          if (!out) return '';
          const pixels = [...out.querySelectorAll('canvas')].map((cv) => {
            try {
              return (cv as HTMLCanvasElement).toDataURL();
            } catch {
              return '';
            }
          });
          return out.innerHTML + pixels.join('');
        }),
    skip,
  );
}

interface Slider {
  cellId: string;
  index: number;
  value: string;
  other: string;
}

/**
 * Each range input of each cell with a value it can move to (its max, or its
 * min when already at max). A slider read only by `norun` cells (heavy work
 * that waits for its Run button) is left out: moving it changes nothing until
 * the reader presses Run, by design.
 */
function sliders(page: Page): Promise<Slider[]> {
  return page.$$eval('.vn-cell', (cells) => {
    const code = (c: Element) => c.querySelector('.vn-cell-code')?.textContent ?? '';
    const nameOf = (c: Element) => /^\s*(?:(?:viewof|mutable)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(code(c))?.[1] ?? '';
    const readers = (name: string, self: Element) => cells.filter((c) => c !== self && new RegExp(`(^|[^\\w$.])${name}([^\\w$]|$)`).test(code(c)));
    return cells.flatMap((c) => {
      const name = nameOf(c);
      const feeds = name ? readers(name, c) : [];
      if (feeds.length > 0 && feeds.every((r) => r.querySelector('.vn-cell-norun'))) return [];
      return [...c.querySelectorAll('.vn-cell-output input[type=range]')].map((el, index) => {
        const r = el as HTMLInputElement;
        return { cellId: c.getAttribute('data-cell-id') ?? '', index, value: r.value, other: r.value === r.max ? r.min : r.max };
      });
    });
  });
}

async function setSlider(page: Page, s: Slider, value: string): Promise<void> {
  await page.locator(`.vn-cell[data-cell-id="${s.cellId}"] .vn-cell-output input[type=range]`).nth(s.index).evaluate((el: HTMLInputElement, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
  // pending may be too brief to see: give the runtime a frame, then wait for every cell
  await page.waitForTimeout(100);
  await waitForCells(page, { timeout: 180_000 });
}

function inError(states: CellState[]): string[] {
  return states.filter((c) => c.state === 'rejected').map((c) => `${c.id}${c.name ? ` (${c.name})` : ''}: ${c.error}`);
}

describe('every lesson page found on disk', () => {
  const browser = chromiumForTests();

  it('finds the lessons', () => {
    expect(LESSONS).toContain('/lessons/06-boxes-iou-nms/index.html');
  });

  it.each(LESSONS)('%s: cells settle without error, sliders change outputs, re-runs free their tensors', async (path) => {
    const { page, errors, close } = await openPage(path, { browser: browser(), timeout: 180_000 });
    try {
      const states = await waitForCells(page, { timeout: 180_000 });
      expect(inError(states), `cells in error on ${path}`).toEqual([]);
      expect(await overflowingOutputs(page), `outputs wider than the column on ${path}`).toEqual([]);
      const plumbing = await plumbingCells(page);
      expect(plumbing.count, `folded plumbing cells on ${path}`).toBeGreaterThan(0);
      expect(plumbing.unsettled, `plumbing cells that did not run on ${path}`).toEqual([]);
      expect(plumbing.codeShown, `plumbing cells showing their code on ${path}`).toEqual([]);
      await waitForTf(page);
      const baseline = await tensorCount(page);
      const found = await sliders(page);
      const unchanged: string[] = [];
      for (const s of found) {
        const before = await outputs(page, s.cellId);
        await setSlider(page, s, s.other);
        if (JSON.stringify(await outputs(page, s.cellId)) === JSON.stringify(before)) unchanged.push(`${s.cellId}#${s.index} (${s.value} -> ${s.other})`);
        expect(inError(await waitForCells(page)), `cells in error on ${path} after slider ${s.cellId}#${s.index}`).toEqual([]);
        await setSlider(page, s, s.value);
      }
      expect(unchanged, `sliders on ${path} that change no other cell's output`).toEqual([]);
      expect((await waitForCells(page)).every(isSettled)).toBe(true);
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(baseline);
      // The same page on a phone: cells sized by `width` re-run, and nothing may widen the page or its column.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(inError(await waitForCells(page)), `cells in error on ${path} at 390 px`).toEqual([]);
      expect(await overflowingOutputs(page), `outputs wider than the column on ${path} at 390 px`).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width of ${path} at 390 px`).toBeLessThanOrEqual(390);
      expect(realErrors(errors), `console errors on ${path}`).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('backend start-up is race-free in the engine (no lesson carries a guard)', () => {
  const browser = chromiumForTests();

  it('two backend switches started at once while the cells start: every cell settles, and tfjs names the backend it runs', async () => {
    const path = '/lessons/06-boxes-iou-nms/index.html';
    const { page, errors, close } = await openPage(path, { browser: browser(), timeout: 180_000, waitForCells: false });
    try {
      await waitForTf(page);
      const switched = await page.evaluate(async () => {
        const { backend } = (window as unknown as { __visionNotebook: { backend: { useBackend(n: string): Promise<string> } } }).__visionNotebook;
        return Promise.all([backend.useBackend('cpu'), backend.useBackend('wasm')]);
      });
      expect(switched).toEqual(['cpu', 'wasm']);
      const states = await waitForCells(page, { timeout: 180_000 });
      expect(inError(states)).toEqual([]);
      const agree = await page.evaluate(() => {
        const { tf } = (window as unknown as { __visionNotebook: { tf: { getBackend(): string; engine(): { backendInstance: unknown; registry: Record<string, unknown> } } } }).__visionNotebook;
        const engine = tf.engine();
        return { name: tf.getBackend(), running: engine.backendInstance === engine.registry[tf.getBackend()] };
      });
      expect(agree).toEqual({ name: 'wasm', running: true });
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
