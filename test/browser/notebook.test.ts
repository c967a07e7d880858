import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inputsFromUrl } from '../../src/exercises/share-link';
import { chromiumForTests, cellByName, cellStates, editAndRun, openPage, realErrors, siteUrl, tensorCount, waitForCells, waitForTf, type OpenOptions } from './harness';

/**
 * The notebook on the live authoring guide (docs/writing-a-lesson): inputs,
 * editing, errors, training, tensors, backends, dark mode and shared links.
 * Its cells: viewof stride, outputSize, image (keeps a tensor that depends on
 * stride), image.shape, training (ui.liveTraining, 20 steps), brokenOnPurpose.
 */
const PAGE = '/docs/writing-a-lesson.html';
/** Lessons (not docs pages) carry the backend badge and the share button; lesson 01 has sliders (convK, convS, ...). */
const LESSON = '/lessons/01-convolution/index.html';

const browser = chromiumForTests();

const open = (opts: OpenOptions = {}, path = PAGE) => openPage(path, { browser: browser(), ...opts });

/** The number a named cell shows (the inspector renders `name = value`). */
async function shownNumber(cell: Locator): Promise<number> {
  const text = (await cell.locator('.vn-cell-output').innerText()).trim();
  const m = /(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) throw new Error(`no number in cell output: ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/** Moves the stride slider (Observable Inputs range) the way a drag does: value + input event. */
async function setStride(page: Page, value: number): Promise<void> {
  const cell = await cellByName(page, 'stride');
  await cell.locator('input[type=range]').evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Waits until a cell reaches a state after an action (pending may be too brief to see). */
async function waitForState(cell: Locator, state: string, timeout = 60_000): Promise<void> {
  await cell.and(cell.page().locator(`.vn-cell[data-state="${state}"]`)).waitFor({ timeout });
}

describe('notebook cells on the authoring guide', () => {
  it('the stride slider changes outputSize', async () => {
    const { page, errors, close } = await open();
    try {
      const out = await cellByName(page, 'outputSize');
      expect(await shownNumber(out)).toBe(Math.floor((28 + 2 - 3) / 2) + 1); // stride 2 → 14
      await setStride(page, 3);
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(Math.floor((28 + 2 - 3) / 3) + 1); // 10
      await setStride(page, 1);
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(28);
      // the number box of the slider follows
      const number = (await cellByName(page, 'stride')).locator('input[type=number]');
      expect(await number.inputValue()).toBe('1');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('editing a cell and pressing Run shows the new output; Reset restores it', async () => {
    const { page, errors, close } = await open();
    try {
      const out = await cellByName(page, 'outputSize');
      expect(await shownNumber(out)).toBe(14);
      await editAndRun(page, out, 'outputSize = stride * 100 + 7');
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(207);
      expect(await out.locator('.vn-cell-edited').isVisible()).toBe(true);
      // downstream of the edit: moving the slider re-runs the edited code
      await setStride(page, 4);
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(407);
      await out.getByRole('button', { name: 'Reset', exact: true }).click();
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(Math.floor(27 / 4) + 1); // 7
      expect(await out.locator('.vn-cell-edited').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an error in one cell leaves the others fulfilled', async () => {
    const { page, errors, close } = await open();
    try {
      const out = await cellByName(page, 'outputSize');
      const before = await cellStates(page);
      await editAndRun(page, out, "outputSize = { throw new Error('stride too large for this test'); }");
      await waitForState(out, 'rejected');
      expect(await out.locator('.vn-cell-error').innerText()).toContain('stride too large for this test');
      const after = await waitForCells(page);
      const id = await out.getAttribute('data-cell-id');
      for (const c of after) {
        if (c.id === id) continue;
        const was = before.find((b) => b.id === c.id)!;
        expect(`${c.id} ${c.name}: ${c.state}`).toBe(`${c.id} ${c.name}: ${was.state}`);
      }
      expect(after.filter((c) => c.state === 'fulfilled').length).toBeGreaterThanOrEqual(4);
      // the rest of the page still reacts to inputs
      const image = await cellByName(page, 'image');
      const shapeBefore = await image.locator('.vn-cell-output').innerText();
      await setStride(page, 1);
      await expect.poll(() => image.locator('.vn-cell-output').innerText(), { timeout: 30_000 }).not.toBe(shapeBefore);
      expect(await image.getAttribute('data-state')).toBe('fulfilled');
      expect(await out.getAttribute('data-state')).toBe('rejected');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the training cell shows a progress bar and a Stop button, and Stop stops it', async () => {
    const { page, errors, close } = await open();
    try {
      const training = await cellByName(page, 'training');
      const bar = training.locator('progress.vn-train-bar');
      const stop = training.locator('button.vn-train-stop');
      expect(await bar.count()).toBe(1);
      expect(await stop.count()).toBe(1);
      // the guide's 20 quick steps finish on their own
      await expect.poll(() => training.locator('.vn-train-status').innerText(), { timeout: 60_000 }).toMatch(/^Done after 20 steps/);
      expect(await bar.evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([20, 20]);
      expect(await stop.isDisabled()).toBe(true);

      // a long run, stopped by the reader
      await editAndRun(
        page,
        training,
        `training = {
  let w = 0;
  return ui.liveTraining({
    steps: 100000,
    label: 'A long run to stop',
    step: async () => {
      await new Promise((r) => setTimeout(r, 10));
      w = w - 0.01 * 2 * (w - 3);
      return { loss: (w - 3) ** 2 };
    },
  });
}`,
      );
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.max), { timeout: 30_000 }).toBe(100000);
      await expect.poll(() => bar.evaluate((p: HTMLProgressElement) => p.value), { timeout: 30_000 }).toBeGreaterThan(5);
      expect(await stop.isEnabled()).toBe(true);
      await stop.click();
      await expect.poll(() => training.locator('.vn-train-status').innerText(), { timeout: 30_000 }).toMatch(/^Stopped after \d+ steps/);
      const stoppedAt = await bar.evaluate((p: HTMLProgressElement) => p.value);
      expect(stoppedAt).toBeLessThan(100000);
      await page.waitForTimeout(500);
      expect(await bar.evaluate((p: HTMLProgressElement) => p.value)).toBe(stoppedAt);
      expect(await stop.isDisabled()).toBe(true);
      expect(await training.getAttribute('data-state')).toBe('fulfilled');
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('re-running a tensor-holding cell 20 times leaks no tensors', async () => {
    const { page, errors, close } = await open();
    try {
      await waitForTf(page);
      const baseline = await tensorCount(page);
      expect(baseline).toBeGreaterThan(0); // `image` keeps one
      const shapeCell = page.locator('.vn-cell').filter({ has: page.locator('.vn-cell-code', { hasText: /^\s*image\.shape\s*$/ }) });
      // slider moves: `image` depends on stride and is re-made each time
      for (let i = 0; i < 20; i++) {
        await setStride(page, (i % 4) + 1);
        await page.waitForTimeout(50);
        await waitForCells(page, { stableMs: 100 });
      }
      await waitForCells(page);
      expect(await shapeCell.getAttribute('data-state')).toBe('fulfilled');
      await expect.poll(() => tensorCount(page), { timeout: 10_000 }).toBe(baseline);
      // edit + Run of the tensor cell itself, 20 times
      const image = await cellByName(page, 'image');
      for (let i = 0; i < 20; i++) {
        await editAndRun(page, image, `image = keep(tf.tidy(() => tf.randomUniform([8, 8, 1]).mul(stride + ${i})))`);
        await page.waitForTimeout(50);
        await waitForCells(page, { stableMs: 100 });
      }
      await waitForCells(page);
      await expect.poll(() => tensorCount(page), { timeout: 10_000 }).toBe(baseline);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('switching the backend with the badge reloads on the chosen one', async () => {
    const { page, errors, close } = await open({}, LESSON);
    try {
      const name = page.getByTestId('backend-name');
      const select = page.getByTestId('backend-select');
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).not.toBe('…');
      const first = await name.innerText();
      expect(await select.locator('option[value=cpu]').count()).toBe(1);

      await Promise.all([page.waitForEvent('load', { timeout: 120_000 }), select.selectOption('cpu')]);
      await waitForCells(page);
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).toBe('CPU');
      expect(await page.evaluate(() => localStorage.getItem('vision-notebook:backend'))).toBe('cpu');
      expect(await page.evaluate(() => (window as unknown as { __visionNotebook: { tf: { getBackend(): string } } }).__visionNotebook.tf.getBackend())).toBe('cpu');
      expect((await cellStates(page)).filter((c) => c.state === 'rejected')).toEqual([]);

      await Promise.all([page.waitForEvent('load', { timeout: 120_000 }), page.getByTestId('backend-select').selectOption('auto')]);
      await waitForCells(page);
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).not.toBe('…');
      expect(await name.innerText()).toBe(first);
      expect(await page.evaluate(() => localStorage.getItem('vision-notebook:backend'))).toBeNull();
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('dark mode keeps cells readable', async () => {
    const { page, errors, close } = await open({ colorScheme: 'dark' });
    try {
      expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
      const pairs = await page.$$eval('.vn-cell', (cells) => {
        const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const background = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const [r, g, b, a = 1] = parse(getComputedStyle(e).backgroundColor);
            if (a > 0.5) return [r, g, b];
          }
          return [255, 255, 255];
        };
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const out: { where: string; fg: string; bg: number[]; contrast: number }[] = [];
        for (const cell of cells) {
          // every element with its own text: inspector values, labels, code, errors, training status
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement!;
            if (!n.textContent?.trim() || el.closest('svg') || el.getClientRects().length === 0) continue;
            const fg = parse(getComputedStyle(el).color).slice(0, 3);
            const bg = background(el);
            const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
            out.push({ where: `${cell.getAttribute('data-cell-id')} <${el.tagName.toLowerCase()} class="${el.className}"> ${n.textContent.trim().slice(0, 30)}`, fg: getComputedStyle(el).color, bg, contrast: (hi + 0.05) / (lo + 0.05) });
          }
        }
        return out;
      });
      expect(pairs.length).toBeGreaterThan(10);
      // WCAG AA for large text is 3:1; anything under it is hard to read
      const poor = pairs.filter((p) => p.contrast < 3).map((p) => `${p.where}: ${p.fg} on rgb(${p.bg}) = ${p.contrast.toFixed(2)}`);
      expect(poor).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a shared link restores the slider values, and a broken one keeps the defaults', async () => {
    const first = await open({}, LESSON);
    let link = '';
    let cellId = '';
    let cellName = '';
    let moved = 0;
    let initial = '';
    let rejectedThere: string[] = [];
    const rejected = async (page: Page) => (await cellStates(page)).filter((c) => c.state === 'rejected').map((c) => c.id);
    const range = (page: Page) => page.locator(`.vn-cell[data-cell-id="${cellId}"] input[type=range]`).first();
    try {
      const share = first.page.locator('.vn-share button');
      expect(await share.count(), 'share button (.vn-share) in the page').toBe(1);
      // the lesson's first slider cell (viewof NAME = Inputs.range(...))
      const states = await cellStates(first.page);
      for (const c of states) {
        if (c.name && (await first.page.locator(`.vn-cell[data-cell-id="${c.id}"] input[type=range]`).count()) > 0) {
          cellId = c.id;
          cellName = c.name;
          break;
        }
      }
      expect(cellId, 'a slider cell on the lesson').not.toBe('');
      initial = await range(first.page).inputValue();
      moved = await range(first.page).evaluate((el: HTMLInputElement) => {
        const [min, max, step] = [Number(el.min), Number(el.max), Number(el.step) || 1];
        const next = Number(el.value) === min ? Math.min(max, min + step) : min;
        el.value = String(next);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        return next;
      });
      expect(String(moved)).not.toBe(initial);
      await first.page.waitForTimeout(300);
      await waitForCells(first.page);
      rejectedThere = await rejected(first.page);
      await share.click();
      const linkBox = first.page.locator('input.vn-share-link');
      await linkBox.waitFor({ timeout: 30_000 });
      link = await linkBox.inputValue();
      const { values } = inputsFromUrl(link);
      expect(values?.[cellName]).toBe(moved);
      expect(new URL(link).pathname).toBe(LESSON);
      expect(realErrors(first.errors)).toEqual([]);
    } finally {
      await first.close();
    }
    const second = await open({}, link.slice(siteUrl().length));
    try {
      await expect.poll(() => range(second.page).inputValue(), { timeout: 30_000 }).toBe(String(moved));
      await second.page.waitForTimeout(300);
      await waitForCells(second.page);
      // the same inputs give the same page (cells failing for other reasons are pages.test.ts's business)
      expect(await rejected(second.page)).toEqual(rejectedThere);
      expect(realErrors(second.errors)).toEqual([]);
    } finally {
      await second.close();
    }
    const broken = await open({}, `${LESSON}?exp=not*base64`);
    try {
      await broken.page.waitForTimeout(500);
      expect(await range(broken.page).inputValue()).toBe(initial);
      expect(realErrors(broken.errors)).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});

describe('bad input and long work on the authoring guide', () => {
  it('a number typed out of range is refused with a message under its input; the page keeps working; a valid one clears it', async () => {
    const { page, errors, close } = await open();
    try {
      const strideCell = await cellByName(page, 'stride');
      const box = strideCell.locator('input[type=number]');
      const notice = strideCell.locator('.vn-cell-input-notice');
      const out = await cellByName(page, 'outputSize');
      expect(await shownNumber(out)).toBe(14);
      expect(await notice.count()).toBe(0);

      await box.fill('9');
      await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
      expect(await notice.innerText()).toBe('stride: 9 is out of range: enter a number from 1 to 4.');
      // where the reader is looking: just under the box they typed into
      const [b, n] = [await box.boundingBox(), await notice.boundingBox()];
      expect(n!.y).toBeGreaterThanOrEqual(b!.y + b!.height - 1);
      expect(n!.y - (b!.y + b!.height)).toBeLessThan(80);
      await page.waitForTimeout(300);
      expect(await shownNumber(out)).toBe(14); // the refused value changed nothing

      // the slider still drives the page, and mends the box, which clears the message
      await setStride(page, 3);
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(10);
      await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(0);

      await box.fill('0');
      await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
      expect(await notice.innerText()).toBe('stride: 0 is out of range: enter a number from 1 to 4.');
      await box.fill('1');
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(28);
      await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(0);
      expect((await cellStates(page)).filter((c) => c.state === 'rejected').map((c) => c.name)).toEqual(['brokenOnPurpose']);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the option examples: hide starts without code, readonly has no Edit, norun waits, output=below puts the output last', async () => {
    const { page, errors, close } = await open();
    try {
      const startsHidden = page.locator('.vn-cell').filter({ has: page.locator('.vn-cell-output .katex') }).filter({ hasText: 'Show code' });
      expect(await startsHidden.count()).toBe(1);
      const hidden = page.locator(`.vn-cell[data-cell-id="${await startsHidden.getAttribute('data-cell-id')}"]`);
      // Folded, not removed: the code stays in the page (search reads it) but is not shown.
      expect(await hidden.locator('.vn-cell-code').isVisible()).toBe(false);
      // KaTeX keeps the TeX it rendered in an annotation
      const tex = () => hidden.locator('.vn-cell-output annotation').textContent();
      await expect.poll(tex, { timeout: 30_000 }).toMatch(/\)\/2 \\rfloor \+ 1 = 14$/);
      await hidden.getByRole('button', { name: 'Show code' }).click();
      expect(await hidden.locator('.vn-cell-code').innerText()).toMatch(/^hiddenFormula = tex`/);
      await setStride(page, 1);
      await expect.poll(tex, { timeout: 30_000 }).toMatch(/\)\/1 \\rfloor \+ 1 = 28$/);

      const readonly = await cellByName(page, 'kernelSize');
      expect(await readonly.locator('.vn-cell-code').isVisible()).toBe(true);
      expect(await readonly.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
      expect(await readonly.getAttribute('data-state')).toBe('fulfilled');

      const norun = await cellByName(page, 'ticks');
      expect(await norun.getAttribute('data-state')).toBe('idle');
      expect(await norun.getByRole('button', { name: 'Run this cell' }).isVisible()).toBe(true);

      const below = page.locator('.vn-cell').filter({ has: page.locator('.vn-cell-code', { hasText: /^\s*kernelSize \* kernelSize\s*$/ }) });
      expect(await below.count()).toBe(1);
      expect(await shownNumber(below)).toBe(9);
      const [code, output] = [await below.locator('.vn-cell-code').boundingBox(), await below.locator('.vn-cell-output').boundingBox()];
      expect(output!.y).toBeGreaterThanOrEqual(code!.y + code!.height);
      // and the ordinary cells keep their output above the code
      const above = await cellByName(page, 'outputSize');
      const [c2, o2] = [await above.locator('.vn-cell-code').boundingBox(), await above.locator('.vn-cell-output').boundingBox()];
      expect(o2!.y + o2!.height).toBeLessThanOrEqual(c2!.y);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a cell still running offers Stop: a generator that never ends, a promise that never settles', async () => {
    const { page, errors, close } = await open();
    try {
      const ticks = await cellByName(page, 'ticks');
      const running = ticks.locator('.vn-cell-running');
      await ticks.getByRole('button', { name: 'Run this cell' }).click();
      await running.waitFor({ timeout: 30_000 });
      expect(await running.innerText()).toMatch(/still running: it keeps producing new values/);
      await expect.poll(() => shownNumber(ticks), { timeout: 30_000 }).toBeGreaterThan(3);
      // the rest of the page works meanwhile
      const out = await cellByName(page, 'outputSize');
      await setStride(page, 3);
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(10);

      await ticks.locator('.vn-cell-stop').click();
      await waitForState(ticks, 'rejected');
      expect(await ticks.locator('.vn-cell-error').innerText()).toMatch(/Stopped[\s\S]*run the cell again/);
      expect(await running.count()).toBe(0);
      await page.waitForTimeout(600);
      expect(await ticks.getAttribute('data-state')).toBe('rejected'); // no more values arrive
      await ticks.getByRole('button', { name: 'Run again' }).click();
      await expect.poll(() => ticks.getAttribute('data-state'), { timeout: 30_000 }).toBe('fulfilled');
      await running.waitFor({ timeout: 30_000 });
      await ticks.locator('.vn-cell-stop').click();
      await waitForState(ticks, 'rejected');

      await editAndRun(page, out, 'outputSize = new Promise(() => {})');
      const waiting = out.locator('.vn-cell-running');
      await waiting.waitFor({ timeout: 30_000 });
      expect(await waiting.innerText()).toMatch(/^This cell is still running \(or waiting for a cell it reads\)\./);
      await out.locator('.vn-cell-stop').click();
      await waitForState(out, 'rejected');
      expect(await out.locator('.vn-cell-error').innerText()).toContain('Stopped');
      await out.getByRole('button', { name: 'Reset', exact: true }).click();
      await expect.poll(() => shownNumber(out), { timeout: 30_000 }).toBe(10);
      expect(await out.locator('.vn-cell-running').count()).toBe(0);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});

/** The text of every cell output on the page, to see that something downstream changed. */
const allOutputs = (page: Page) => page.$$eval('.vn-cell-output', (els) => els.map((e) => (e as HTMLElement).innerText).join('\n'));

/** Moves the first range of a cell by one step (down from its maximum, else up), as a drag does. */
async function nudgeRange(cell: Locator): Promise<void> {
  await cell.locator('input[type=range]').first().evaluate((el: HTMLInputElement) => {
    const [max, step] = [Number(el.max), Number(el.step) || 1];
    el.value = String(Number(el.value) + (Number(el.value) + step > max ? -step : step));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('backends on a lesson page', () => {
  it('with a software WebGL (SwiftShader, headless Chromium) the automatic choice is WASM, and the badge says why', async () => {
    const { page, errors, close } = await open({}, LESSON);
    try {
      const renderer = await page.evaluate(() => {
        const gl = document.createElement('canvas').getContext('webgl2');
        if (!gl) return 'no WebGL';
        const ext = gl.getExtension('WEBGL_debug_renderer_info');
        const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
        gl.getExtension('WEBGL_lose_context')?.loseContext();
        return name;
      });
      expect(renderer, 'this Chromium should render WebGL with SwiftShader').toMatch(/SwiftShader/i);
      const name = page.getByTestId('backend-name');
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).not.toBe('…');
      expect(await name.innerText()).toBe('WASM');
      expect(await page.evaluate(() => (window as unknown as { __visionNotebook: { tf: { getBackend(): string } } }).__visionNotebook.tf.getBackend())).toBe('wasm');
      expect(await page.locator('.vn-backend-reason').innerText()).toMatch(/WebGL runs on SwiftShader, a software renderer: WASM is faster here\.$/);
      expect(await page.getByTestId('backend-select').locator('option[value=webgl]').count()).toBe(1);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a lost WebGL context reloads the page on WASM, says so on the badge, and the cells run again', async () => {
    const { page, errors, close } = await open({}, LESSON);
    try {
      const name = page.getByTestId('backend-name');
      const select = page.getByTestId('backend-select');
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).not.toBe('…');
      await Promise.all([page.waitForEvent('load', { timeout: 120_000 }), select.selectOption('webgl')]);
      await waitForCells(page);
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).toBe('WEBGL');
      expect(await page.locator('.vn-backend-message').count()).toBe(0);

      await Promise.all([
        page.waitForEvent('load', { timeout: 120_000 }),
        page.evaluate(() => {
          const tf = (window as unknown as { __visionNotebook: { tf: { backend(): { gpgpu: { gl: WebGL2RenderingContext } } } } }).__visionNotebook.tf;
          tf.backend().gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
        }),
      ]);
      const states = await waitForCells(page);
      await expect.poll(() => name.innerText(), { timeout: 60_000 }).toBe('WASM');
      expect(await page.locator('.vn-backend-message').innerText()).toMatch(/^The WebGL context was lost .* re-ran every cell on WASM\./);
      expect(await page.evaluate(() => localStorage.getItem('vision-notebook:backend'))).toBe('wasm');
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);

      // a slider still drives the tensor cells below it
      const before = await allOutputs(page);
      await nudgeRange(await cellByName(page, 'convS'));
      await expect.poll(() => allOutputs(page), { timeout: 60_000 }).not.toBe(before);
      const after = await waitForCells(page);
      expect(after.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
