import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium } from './chromium';

/** One cell of a built page as the tests see it. */
export interface CellState {
  /** `data-cell-id`, e.g. 'cell-3' */
  id: string;
  state: 'idle' | 'pending' | 'fulfilled' | 'rejected';
  /** The name the cell defines (`name = ...`, `viewof name = ...`), read from its shown code; '' if unnamed or hidden. */
  name: string;
  /** A norun cell still waiting for its "Run this cell" click. */
  norun: boolean;
  /** Text of `.vn-cell-error` when the cell is rejected. */
  error: string;
}

export interface OpenedPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors (with the resource URL when there is one) and uncaught page errors, in order. */
  errors: string[];
  /** Closes the browser (or only the context when the browser was passed in). */
  close: () => Promise<void>;
}

export interface OpenOptions extends Pick<BrowserContextOptions, 'colorScheme' | 'viewport' | 'acceptDownloads'> {
  /** Reuse a browser; otherwise one is launched and `close()` ends it. */
  browser?: Browser;
  /** Wait for every cell to settle after loading (default true). */
  waitForCells?: boolean;
  /** Time limit for the navigation and for the cells (ms, default 180 s). */
  timeout?: number;
}

/**
 * One Chromium for the tests of a file (or describe block): launched before the
 * first, closed after the last. Call it at the top; the getter gives the browser.
 */
export function chromiumForTests(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('chromiumForTests: the browser is only there inside tests (after beforeAll).');
    return browser;
  };
}

/** The served site's base URL, from the global setup. */
export function siteUrl(): string {
  return inject('siteUrl');
}

/** The built site's folder, from the global setup. */
export function distDir(): string {
  return inject('distDir');
}

/** Favicon 404s are the only console errors the tests forgive. */
export function isForgivenError(message: string): boolean {
  return /favicon\.ico/.test(message);
}

/**
 * Opens `path` (e.g. '/docs/writing-a-lesson.html') of the served site in a
 * fresh browser context (empty localStorage), collecting console errors and
 * page errors, and by default waits until every cell has settled.
 */
export async function openPage(path: string, opts: OpenOptions = {}): Promise<OpenedPage> {
  const timeout = opts.timeout ?? 180_000;
  const browser = opts.browser ?? (await launchChromium());
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 1000 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: opts.acceptDownloads ?? false,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url;
    errors.push(where ? `${m.text()} [${where}]` : m.text());
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  const close = async () => {
    if (opts.browser) await context.close().catch(() => {});
    else await browser.close().catch(() => {});
  };
  try {
    await page.goto(siteUrl() + (path.startsWith('/') ? path : `/${path}`), { timeout });
    if (opts.waitForCells !== false) await waitForCells(page, { timeout });
  } catch (e) {
    await close();
    throw e;
  }
  return { browser, context, page, errors, close };
}

/** Console and page errors other than favicon 404s. */
export function realErrors(errors: string[]): string[] {
  return errors.filter((e) => !isForgivenError(e));
}

/** Reads every cell's id, state, name, norun flag and error text. */
export function cellStates(page: Page): Promise<CellState[]> {
  return page.$$eval('.vn-cell', (cells) =>
    cells.map((c) => {
      const code = c.querySelector('.vn-cell-code')?.textContent ?? '';
      const name = /^\s*(?:(?:viewof|mutable)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)/.exec(code)?.[1] ?? '';
      return {
        id: c.getAttribute('data-cell-id') ?? '',
        state: (c.getAttribute('data-state') ?? 'idle') as 'idle' | 'pending' | 'fulfilled' | 'rejected',
        name,
        norun: !!c.querySelector('.vn-cell-norun'),
        error: c.querySelector('.vn-cell-error')?.textContent?.trim() ?? '',
      };
    }),
  );
}

/** A cell is settled when it is fulfilled, rejected, or a norun cell waiting for its click. */
export function isSettled(c: CellState): boolean {
  return c.state === 'fulfilled' || c.state === 'rejected' || (c.state === 'idle' && c.norun);
}

/**
 * Waits until every cell on the page has settled and stayed so for `stableMs`
 * (a fulfilled cell can make a downstream cell pending again). Returns the
 * final states; on time-out throws, naming the cells that never settled.
 */
export async function waitForCells(page: Page, opts: { timeout?: number; stableMs?: number } = {}): Promise<CellState[]> {
  const timeout = opts.timeout ?? 180_000;
  const stableMs = opts.stableMs ?? 750;
  const deadline = Date.now() + timeout;
  await page.waitForLoadState('load', { timeout });
  let settledSince = 0;
  let states: CellState[] = [];
  for (;;) {
    states = await cellStates(page);
    if (states.every(isSettled)) {
      settledSince ||= Date.now();
      if (Date.now() - settledSince >= stableMs) return states;
    } else settledSince = 0;
    if (Date.now() > deadline) {
      const waiting = states.filter((c) => !isSettled(c)).map((c) => `${c.id}${c.name ? ` (${c.name})` : ''}: ${c.state}`);
      throw new Error(`cells did not settle within ${timeout / 1000} s on ${page.url()}: ${waiting.join(', ')}`);
    }
    await page.waitForTimeout(200);
  }
}

/** Waits until `window.__visionNotebook.tf` exists (the cells' runtime has loaded). */
export async function waitForTf(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as { __visionNotebook?: { tf?: unknown } }).__visionNotebook?.tf, null, { timeout });
}

/** `tf.memory().numTensors` in the page, or NaN when tfjs has not loaded. */
export async function tensorCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const tf = (window as unknown as { __visionNotebook?: { tf?: { memory(): { numTensors: number } } } }).__visionNotebook?.tf;
    return tf ? tf.memory().numTensors : Number.NaN;
  });
}

/**
 * The cell whose shown code defines `name`, as a locator by its id (so it
 * still matches once the code is replaced by the editor).
 */
export async function cellByName(page: Page, name: string) {
  const cell = (await cellStates(page)).find((c) => c.name === name);
  if (!cell) throw new Error(`no cell named ${name} on ${page.url()}`);
  return page.locator(`.vn-cell[data-cell-id="${cell.id}"]`);
}

/** Replaces a cell's code through its CodeMirror editor and presses Run. */
export async function editAndRun(page: Page, cell: Locator, code: string): Promise<void> {
  if (!(await cell.locator('.vn-cell-editor .cm-content').isVisible())) {
    await cell.getByRole('button', { name: 'Edit', exact: true }).click();
  }
  const content = cell.locator('.vn-cell-editor .cm-content');
  await content.waitFor({ timeout: 30_000 });
  await content.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
}

/** Types `value` into the number box of the range input of the cell that defines `name`, then waits for the cells to settle. */
export async function setRange(page: Page, name: string, value: number, timeout = 180_000): Promise<void> {
  const cell = await cellByName(page, name);
  const input = cell.locator('input[type=number]').first();
  await input.fill(String(value));
  await input.press('Enter');
  await waitForCells(page, { timeout });
}

/** The output of the last cell whose output mentions `text`. */
export async function outputWith(page: Page, text: string): Promise<Locator> {
  const out = page.locator('.vn-cell-output').filter({ hasText: text }).last();
  await out.waitFor({ timeout: 60_000 });
  return out;
}

/**
 * Cells whose output is wider than the lesson column (an output that needs a
 * scrollbar counts too): each as "id: output width / column width".
 */
export function overflowingOutputs(page: Page): Promise<string[]> {
  return page.$$eval('.vn-cell', (cells) => {
    const column = document.querySelector('.vp-doc')?.clientWidth ?? window.innerWidth;
    return cells.flatMap((c) => {
      const out = c.querySelector('.vn-cell-output') as HTMLElement | null;
      if (!out || out.offsetParent === null) return [];
      const wide = out.scrollWidth > out.clientWidth + 1 || out.getBoundingClientRect().width > column + 1;
      return wide ? [`${c.getAttribute('data-cell-id')}: ${out.scrollWidth} / ${column} px`] : [];
    });
  });
}

/** What every cell except `skip` (a cell id) shows, in page order: its output's HTML and the pixels of its canvases. */
export function cellOutputs(page: Page, skip = ''): Promise<string[]> {
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

/** A range input of a cell (by cell id and index), its value and a value it can move to. */
export interface Slider {
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
export function movableSliders(page: Page): Promise<Slider[]> {
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

/** Plumbing cells (code folded by their role): how many, and those not settled or showing their code. */
export function plumbingCells(page: Page): Promise<{ count: number; unsettled: string[]; codeShown: string[] }> {
  return page.$$eval('.vn-cell[data-role="plumbing"]', (cells) => ({
    count: cells.length,
    unsettled: cells
      .filter((c) => !['fulfilled', 'rejected'].includes(c.getAttribute('data-state') ?? '') && !c.querySelector('.vn-cell-norun'))
      .map((c) => c.getAttribute('data-cell-id') ?? ''),
    codeShown: cells.filter((c) => (c.querySelector('.vn-cell-code') as HTMLElement | null)?.offsetParent != null).map((c) => c.getAttribute('data-cell-id') ?? ''),
  }));
}

/** Sets a range input the way a drag does (value, then an input event); returns the value it took. */
export async function setRangeValue(slider: Locator, value: number | string): Promise<number> {
  return slider.evaluate((el: HTMLInputElement, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    return Number(el.value);
  }, value);
}

/** Moves one slider of `movableSliders` to `value` and waits for every cell to settle. */
export async function moveSlider(page: Page, s: Slider, value: string): Promise<void> {
  await setRangeValue(page.locator(`.vn-cell[data-cell-id="${s.cellId}"] .vn-cell-output input[type=range]`).nth(s.index), value);
  // pending may be too brief to see: give the runtime a frame, then wait for every cell
  await page.waitForTimeout(100);
  await waitForCells(page, { timeout: 180_000 });
}

/** The text of a cell's error message ('' when it has none). */
export async function cellErrorText(cell: Locator): Promise<string> {
  return (await cell.locator('.vn-cell-error').allInnerTexts()).join(' ');
}
