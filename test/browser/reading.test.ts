import { describe, expect, it } from 'vitest';
import { chromiumForTests, openPage, overflowingOutputs, realErrors, waitForCells } from './harness';

/**
 * Reading a lesson (issue 19): a phone gets one readable column with no
 * figure running off it, and the built site's service worker keeps what a
 * first lesson loaded, so the second lesson fetches only its own page.
 */
describe('reading a lesson', () => {
  const browser = chromiumForTests();

  it('at 390 px (a phone) no cell output is wider than the column, and the text is not squeezed', async () => {
    const { page, errors, close } = await openPage('/lessons/06-boxes-iou-nms/index.html', { browser: browser(), viewport: { width: 390, height: 844 } });
    try {
      expect(await overflowingOutputs(page)).toEqual([]);
      const column = await page.evaluate(() => document.querySelector('.vp-doc')!.clientWidth);
      // VitePress pads the phone layout by 24 px a side: the column is the screen less that, not a sliver.
      expect(column).toBeGreaterThan(320);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('at 1280 px a lesson uses the width the outline column had: the column is wider than 800 px', async () => {
    const { page, close } = await openPage('/lessons/07-evaluating-detectors/index.html', { browser: browser(), waitForCells: false });
    try {
      expect(await page.evaluate(() => document.querySelector('.vp-doc')!.clientWidth)).toBeGreaterThan(800);
      // The outline is still a click away, in the "On this page" menu.
      expect(await page.getByRole('button', { name: /On this page/ }).isVisible()).toBe(true);
    } finally {
      await close();
    }
  });

  it('lists the lesson\'s sections to jump between, ticks a section once read, and keeps the ticks on reload', async () => {
    const { page, close } = await openPage('/lessons/07-evaluating-detectors/index.html', { browser: browser() });
    try {
      const nav = page.getByRole('navigation', { name: 'Sections of this lesson' });
      const headings = await page.locator('.vp-doc h2[id]').count();
      expect(await nav.locator('li').count()).toBe(headings);
      const progress = nav.locator('.vn-sections-progress');
      const readCount = async () => Number(/^(\d+) of/.exec(await progress.innerText())![1]);
      const before = await readCount();
      // Scroll through the whole lesson: every section's end passes the screen.
      for (let y = 0; y < (await page.evaluate(() => document.documentElement.scrollHeight)); y += 600) {
        await page.evaluate((to) => window.scrollTo(0, to), y);
        await page.waitForTimeout(50);
      }
      await expect.poll(readCount, { timeout: 10_000 }).toBe(headings);
      expect(before).toBeLessThan(headings);
      await page.reload();
      await expect.poll(readCount, { timeout: 30_000 }).toBe(headings);
      // A link jumps to its section.
      const last = nav.locator('li a').last();
      await last.click();
      expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#${await page.locator('.vp-doc h2[id]').last().getAttribute('id')}`);
    } finally {
      await close();
    }
  });

  it('the service worker caches a first lesson\'s files: a second lesson fetches only what is its own', async () => {
    const { page, context, close } = await openPage('/lessons/07-evaluating-detectors/index.html', { browser: browser() });
    try {
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        // What the page loaded before the worker controlled it joins the cache (the theme sends this too, on load).
        const urls = performance.getEntriesByType('resource').map((e) => e.name);
        await new Promise<void>((done) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => done();
          registration.active!.postMessage({ type: 'cache-loaded', urls }, [channel.port2]);
        });
      });
      const fetched: string[] = [];
      context.on('response', (r) => {
        if (!r.fromServiceWorker() && /^https?:/.test(r.url())) fetched.push(new URL(r.url()).pathname);
      });
      await page.goto(page.url().replace('07-evaluating-detectors', '06-boxes-iou-nms'));
      await waitForCells(page, { timeout: 180_000 });
      expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
      // Only this lesson's own files cross the network: its page and its hashed chunks; tfjs, WASM, data come from the cache.
      expect(fetched.filter((p) => /\.(wasm|bin)$|tfjs|mnist/.test(p))).toEqual([]);
    } finally {
      await close();
    }
  });
});
