import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellByName, cellStates, chromiumForTests, openPage, realErrors, tensorCount, waitForCells } from './harness';

/**
 * Lesson 3 (Attention and ViT): the page settles with no cell in error; every
 * slider changes some other cell's output; moving every slider and putting it
 * back leaves tf.memory().numTensors where it started; a patch size that does
 * not divide 28 is answered with a message naming patchSize and the allowed
 * values; the norun re-run of one experiment point trains through the course
 * loop with a progress bar, scores the 2,000 test digits, and Stop ends a long
 * run.
 */
const LESSON = '/lessons/03-attention-vit/index.html';

const browser = chromiumForTests();

/** What a reader sees in every cell's output except `skip`'s: text, canvas pixels, and SVG geometry and colours. */
async function outputsExcept(page: Page, skip: string): Promise<string> {
  return page.$$eval(
    '.vn-cell',
    (cells, skipId) =>
      cells
        .filter((c) => c.getAttribute('data-cell-id') !== skipId)
        .map((c) => {
          const out = c.querySelector('.vn-cell-output') ?? c;
          const clone = out.cloneNode(true) as HTMLElement;
          // Plot writes a <style> with a fresh random class name on every render: not an output change.
          clone.querySelectorAll('style').forEach((s) => s.remove());
          const canvases = [...out.querySelectorAll('canvas')].map((cv) => (cv as HTMLCanvasElement).toDataURL());
          const shapes = [...out.querySelectorAll('svg *')].map((el) =>
            [...el.attributes].filter((a) => a.name !== 'class' && a.name !== 'id').map((a) => `${a.name}=${a.value}`).join(' '),
          );
          return `${clone.textContent}|${canvases.join(',')}|${shapes.join(';')}`;
        })
        .join('\n'),
    skip,
  );
}

/** Moves a range input the way a drag does: value + input event. Returns the value it was set to. */
async function setRange(slider: Locator, value: number): Promise<number> {
  return slider.evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    return Number(el.value);
  }, value);
}

describe('lesson 3: attention and ViT', () => {
  it('settles without errors; every slider changes an output; tensors return to baseline after the re-runs', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const states = await cellStates(page);
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} (${c.name}): ${c.error}`)).toEqual([]);
      expect(states.length).toBeGreaterThan(30);
      const baseline = await tensorCount(page);
      expect(baseline).toBeGreaterThan(0); // the shipped ViT and its attention twin are loaded and kept

      const sliders = await page.$$eval('.vn-cell', (cells) =>
        cells.filter((c) => c.querySelector('input[type=range]')).map((c) => c.getAttribute('data-cell-id') ?? ''),
      );
      // tokens' seed, log2 d, heads, patch size, test digit, position slot, subset, rollout depth
      expect(sliders.length).toBeGreaterThanOrEqual(8);
      const unchanged: string[] = [];
      for (const id of sliders) {
        const slider = page.locator(`.vn-cell[data-cell-id="${id}"] input[type=range]`).first();
        const [min, max, initial] = await slider.evaluate((el: HTMLInputElement) => [Number(el.min), Number(el.max), Number(el.value)]);
        const before = await outputsExcept(page, id);
        const target = initial < max ? initial + 1 : min;
        expect(await setRange(slider, target)).toBe(target);
        await waitForCells(page, { timeout: 120_000 });
        if ((await outputsExcept(page, id)) === before) unchanged.push(`${id} (${initial} -> ${target})`);
        await setRange(slider, initial);
        await waitForCells(page, { timeout: 120_000 });
      }
      expect(unchanged, 'sliders whose move changed no output').toEqual([]);
      const after = await cellStates(page);
      expect(after.filter((c) => c.state === 'rejected').map((c) => `${c.id} (${c.name}): ${c.error}`)).toEqual([]);
      await expect.poll(() => tensorCount(page), { timeout: 30_000 }).toBe(baseline);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a patch size that does not divide 28 gets a message naming patchSize and the allowed sizes, and no cell breaks', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      const cell = await cellByName(page, 'patchSize');
      await setRange(cell.locator('input[type=range]').first(), 5);
      await waitForCells(page, { timeout: 120_000 });
      const text = await page.locator('.vn-cell').allInnerTexts();
      const geometry = text.find((t) => t.includes('does not divide the 28-pixel digit'));
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
