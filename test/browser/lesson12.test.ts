import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumForTests, cellByName, openPage, realErrors, waitForCells } from './harness';

/**
 * Lesson 12 beyond what the page-load test sees: the norun cells (the raw
 * score maps, the backend timings, the very large image) pressed into
 * running, and a reader's file that is not an image.
 */
const LESSON = '/lessons/12-real-detector/index.html';

const browser = chromiumForTests();

/** Presses a norun cell's "Run this cell" and waits until it has settled (a generator cell until its last value). */
async function runNorun(cell: Locator, timeout = 600_000): Promise<void> {
  expect(await cell.getAttribute('data-state')).toBe('idle');
  await cell.getByRole('button', { name: 'Run this cell' }).click();
  await cell.and(cell.page().locator('.vn-cell[data-state="fulfilled"]:not([data-running]), .vn-cell[data-state="rejected"]')).waitFor({ timeout });
}

/** A cell's error text now, '' when it has none (without waiting for one to appear). */
async function errorText(cell: Locator): Promise<string> {
  return (await cell.locator('.vn-cell-error').allInnerTexts()).join(' ');
}

async function expectNoCellError(cell: Locator): Promise<void> {
  const error = cell.locator('.vn-cell-error');
  expect(await error.count(), (await error.allInnerTexts()).join(' ')).toBe(0);
}

describe('lesson 12: a real detector on real photos', () => {
  it('"your image" that is not an image, or is empty, gives a clear message in the cell; the shipped photo works again after', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const source = await cellByName(page, 'source');
      const upload = await cellByName(page, 'upload');
      // the photo cell is hidden (no code to find it by); the first visible cell that reads it shows its error
      const photo = await cellByName(page, 'letterboxes');
      const summary = page.locator('.vn-cell').filter({ has: page.locator('.vn-cell-code', { hasText: /^md`Loading took/ }) });
      await expect.poll(() => summary.locator('.vn-cell-output').innerText()).toMatch(/CenterNet \d+ ms, \d+ candidates/);

      await source.getByRole('radio', { name: 'your image' }).check();
      // before any file: it says what to do
      await expect.poll(() => errorText(photo), { timeout: 60_000 }).toContain('Choose an image file');

      await upload.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are notes, not pixels\n') });
      await expect
        .poll(() => errorText(photo), { timeout: 60_000 })
        .toMatch(/'notes\.txt' could not be decoded as an image \(is it a JPEG, PNG, GIF or WebP file\?\)/);
      // the cells downstream say why they have nothing to show, instead of running on a broken image
      expect(await summary.getAttribute('data-state')).toBe('rejected');

      await upload.locator('input[type=file]').setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
      await expect.poll(() => errorText(photo), { timeout: 60_000 }).toContain(`'empty.png' is empty (0 bytes)`);

      // the page keeps working: back to the shipped photo, detection runs again
      await source.getByRole('radio', { name: 'shipped photo' }).check();
      await expect.poll(() => photo.getAttribute('data-state'), { timeout: 60_000 }).toBe('fulfilled');
      await expect.poll(() => summary.locator('.vn-cell-output').innerText(), { timeout: 300_000 }).toMatch(/CenterNet \d+ ms, \d+ candidates/);
      const states = await waitForCells(page, { timeout: 300_000 });
      expect(states.filter((c) => c.state === 'rejected' && c.name !== 'webcamFrame').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);

      // a shipped photo of people: both detectors keep person boxes at the default thresholds
      await (await cellByName(page, 'photoName')).locator('select').selectOption('costume-party');
      await page.locator('.vn-cell-output', { hasText: 'The photo (costume-party) is 1920x1280 pixels' }).waitFor({ timeout: 60_000 });
      const chart = page.locator('.vn-cell').filter({ has: page.locator('.vn-cell-code', { hasText: 'boxes kept' }) }).first();
      // the car park has people too, but no wine glass: seeing one proves the new photo was detected on
      await expect.poll(() => chart.locator('.vn-cell-output').innerText(), { timeout: 300_000 }).toContain('wine glass');
      expect(await chart.locator('.vn-cell-output').innerText()).toContain('person');
      await waitForCells(page, { timeout: 300_000 });
      const labels = await page.evaluate(() => {
        const shown = document.querySelectorAll('figure figcaption b');
        return Array.from(shown, (b) => b.parentElement?.textContent ?? '');
      });
      expect(labels.filter((t) => /^(CenterNet|NanoDet): [1-9]\d* box/.test(t.trim())), labels.join(' / ')).toHaveLength(2);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a webcam the browser refuses (denied, or none on this machine) gives a readable reason in the cell, and the photo still works', async () => {
    const { page, context, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      // No camera permission granted, and headless Chromium has no camera: getUserMedia must fail.
      await context.clearPermissions();
      const cam = page.locator('.vn-cell').filter({ has: page.getByRole('button', { name: 'Start webcam' }) });
      await cam.getByRole('button', { name: 'Start webcam' }).click();
      const status = cam.getByRole('status');
      await expect
        .poll(() => status.innerText(), { timeout: 60_000 })
        .toMatch(/^(The webcam was not allowed|No webcam was found|The webcam could not be (started|opened)|This browser gives pages no camera access)/);
      // The reader may try again, and nothing else on the page broke.
      expect(await cam.getByRole('button', { name: 'Start webcam' }).isEnabled()).toBe(true);
      expect(await cam.getByRole('button', { name: 'Use this frame' }).isDisabled()).toBe(true);
      const states = await waitForCells(page, { timeout: 300_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the norun cells run on the car park: CenterNet heatmap, NanoDet per-stride scores, the very large image, every backend timed', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const centernetMap = await cellByName(page, 'centernetMap');
      await runNorun(centernetMap);
      await expectNoCellError(centernetMap);
      const cOut = centernetMap.locator('.vn-cell-output');
      expect(await cOut.innerText()).toMatch(/128x128 cells of 4 input pixels; highest score \d\.\d{3}/);
      // the class picker lists classes by their peak: a car park's brightest is a car
      expect(await cOut.locator('select option').first().innerText()).toMatch(/^car \(peak 0\.\d\d\)/);
      expect(await cOut.locator('canvas, img, svg').count()).toBeGreaterThan(0);

      const nanodetMap = await cellByName(page, 'nanodetMap');
      await runNorun(nanodetMap);
      await expectNoCellError(nanodetMap);
      const nOut = nanodetMap.locator('.vn-cell-output');
      expect(await nOut.innerText()).toMatch(/Stride 8: 52x52 cells; highest score on this grid \d\.\d{3}/);
      await nOut.getByRole('radio', { name: '32' }).check();
      await expect.poll(() => nOut.innerText()).toMatch(/Stride 32: 13x13 cells/);

      const largeImage = await cellByName(page, 'largeImage');
      await runNorun(largeImage);
      await expectNoCellError(largeImage);
      const lText = await largeImage.locator('.vn-cell-output').innerText();
      expect(lText).not.toContain('(none)');
      const m = /(\d+) boxes on the (\d+)x(\d+) image/.exec(lText);
      expect(m, lText).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(0);
      expect(Math.max(Number(m![2]), Number(m![3]))).toBeGreaterThan(4096);

      // one timed run after the warm-up keeps the slow backends (CPU, emulated WebGL) short
      const runs = await cellByName(page, 'benchRuns');
      await runs.locator('input[type=range]').evaluate((el: HTMLInputElement) => {
        el.value = '1';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const before = await page.evaluate(() => (window as unknown as { __visionNotebook: { tf: { getBackend(): string } } }).__visionNotebook.tf.getBackend());
      const backendTimes = await cellByName(page, 'backendTimes');
      await runNorun(backendTimes, 900_000);
      await expectNoCellError(backendTimes);
      const bOut = backendTimes.locator('.vn-cell-output');
      expect(await bOut.innerText()).toContain(`back on ${before}`);
      const rows = await bOut.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
      expect(rows.length).toBeGreaterThan(0);
      const done = rows.filter((r) => r[5] === 'done');
      expect(done.map((r) => r[0].replace(' (yours)', ''))).toContain('wasm');
      // a backend either finished or says why it could not
      for (const r of rows) expect(r[5], r.join(' | ')).toMatch(/^(done|failed: .+)$/);
      for (const r of done) expect(r[3], r.join(' | ')).toMatch(/^\d+(\.\d+)? (ms|s)$/);
      // same graph, same boxes, up to one right at a threshold
      const boxes = done.map((r) => Number(r[4]));
      expect(Math.max(...boxes) - Math.min(...boxes)).toBeLessThanOrEqual(1);
      expect(await page.evaluate(() => (window as unknown as { __visionNotebook: { tf: { getBackend(): string } } }).__visionNotebook.tf.getBackend())).toBe(before);

      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
