import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellByName, chromiumForTests, openPage, realErrors, waitForCells } from './harness';

/**
 * Lesson 1's interactions beyond the page load (issue 18): the sliding window
 * (hover an output pixel, see its input window and the nine products), the
 * "same" padding line for even kernels, the multi-channel parameter count
 * and the effective receptive field.
 */
const LESSON = '/lessons/01-convolution/index.html';

const browser = chromiumForTests();

/** Types a value into a slider's number box, as a reader would. */
async function setSlider(page: Page, name: string, value: number): Promise<void> {
  const cell = await cellByName(page, name);
  const box = cell.locator('input[type=number]').first();
  await box.fill(String(value));
  await box.dispatchEvent('input');
}

interface Readout {
  i: number;
  j: number;
  sum: number;
  conv: number;
  products: number[];
}

async function readout(window: Locator): Promise<Readout> {
  return window.locator('.vn-window-readout').evaluate((el: HTMLElement) => ({
    i: Number(el.dataset.i),
    j: Number(el.dataset.j),
    sum: Number(el.dataset.sum),
    conv: Number(el.dataset.conv),
    // each cell reads "w × x = product"; d3's format writes negatives with U+2212
    products: Array.from(el.querySelectorAll('td'), (td) => Number((td.querySelector('b')?.textContent ?? '').replace('\u2212', '-'))),
  }));
}

describe('lesson 1: interactions', () => {
  it('hovering an output pixel moves the window to it and lists the nine products, whose sum is tf.conv2d\'s value', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const window = page.locator('.vn-cell').filter({ has: page.locator('svg.vn-window-out') });
      const out = window.locator('svg.vn-window-out');
      const size = Number(await out.locator('rect[data-i="0"][data-j="0"]').getAttribute('width'));
      expect(size).toBeGreaterThan(0);
      // it starts on the centre pixel
      const start = await readout(window);
      expect([start.i, start.j]).toEqual([8, 8]);

      for (const [i, j] of [[3, 11], [0, 0], [15, 15]] as const) {
        await out.locator(`rect[data-i="${i}"][data-j="${j}"]`).hover();
        await expect.poll(async () => { const r = await readout(window); return [r.i, r.j]; }).toEqual([i, j]);
        const r = await readout(window);
        // the 3×3 window on the input patch starts at the same row and column (valid convolution)
        const box = window.locator('svg.vn-window-in rect.vn-window');
        expect([Number(await box.getAttribute('x')), Number(await box.getAttribute('y')), Number(await box.getAttribute('width'))]).toEqual([j * size, i * size, 3 * size]);
        expect(r.products).toHaveLength(9);
        // the shown products are rounded to 3 decimals: their sum is within 9 × 0.0005 of the exact one
        expect(Math.abs(r.products.reduce((a, b) => a + b, 0) - r.sum)).toBeLessThanOrEqual(0.0045 + 1e-9);
        expect(Math.abs(r.sum - r.conv)).toBeLessThan(1e-4);
      }

      // another kernel: the window's numbers follow it (Sobel x weights −1, 0, 1, −2, 0, 2, ...)
      await (await cellByName(page, 'startKernel')).locator('select').selectOption('Sobel x');
      await expect.poll(() => window.locator('.vn-window-readout td').first().innerText(), { timeout: 60_000 }).toMatch(/^[\u2212-]1 ×/);
      await out.locator('rect[data-i="5"][data-j="6"]').hover();
      await expect.poll(async () => (await readout(window)).j).toBe(6);
      const sobel = await readout(window);
      expect(Math.abs(sobel.sum - sobel.conv)).toBeLessThan(1e-4);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('"same" padding: k = 4 is one pixel short with p = 1, odd k keeps the size; the channel count matches the layer; the ERF is narrower than the field', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser() });
    try {
      const line = page.locator('.vn-same-padding');
      await setSlider(page, 'convK', 4);
      await setSlider(page, 'convD', 1);
      await expect.poll(() => line.innerText(), { timeout: 60_000 }).toContain('d(k − 1) = 3, odd');
      expect(await line.innerText()).toContain('one pixel short');
      // 256 wide: 256 + 2 - 3 = 255 with p = 1; 'same' pads 1 before and 2 after
      expect(await line.innerText()).toMatch(/output of 255×\d+ from 256×/);
      expect(await line.innerText()).toContain('padding 1 before and 2 after');
      await setSlider(page, 'convK', 5);
      await expect.poll(() => line.innerText(), { timeout: 60_000 }).toContain('d(k − 1) = 4, even');
      expect(await line.innerText()).toContain('the size is kept');

      // the quiz's layer: 3·3·64·128 + 128 = 73,856, from the layer's own kernel and bias shapes
      const channels = page.locator('.vn-cell').filter({ has: page.locator('td', { hasText: 'kernel shape (tf.layers.conv2d)' }) });
      const text = await channels.locator('.vn-cell-output').innerText();
      expect(text).toContain('[3, 3, 64, 128]');
      expect(text).toContain('73,856 ✓');
      expect(text).not.toContain('✗');

      // the ERF: the non-zero columns are the receptive field of the table, and fewer carry half the peak
      const erf = await page.locator('.vn-erf').innerText();
      const [, nonzero, half] = /(\d+)\s+columns are non-zero.*?only (\d+)/.exec(erf)!.map(Number);
      expect(half).toBeGreaterThan(0);
      expect(half).toBeLessThan(nonzero!);
      const states = await waitForCells(page);
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.id} ${c.name}: ${c.error}`)).toEqual([]);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
