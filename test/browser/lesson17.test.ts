import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellByName, chromiumForTests, openPage, realErrors, tensorCount, waitForCells } from './harness';

/**
 * Lesson 17 beyond the page-load crawl: the method, layer and class menus
 * change the map, every method leaves the page's tensor count where it was,
 * a bad layer name or class index gives a message in the cell (the page keeps
 * working), and an uploaded image (a real PNG, then a file that is not one) works.
 */
const LESSON = '/lessons/17-cnn-visualization/index.html';
const browser = chromiumForTests();

async function settle(page: Page): Promise<void> {
  await waitForCells(page, { timeout: 300_000 });
}

async function outputOf(page: Page, name: string): Promise<string> {
  return (await cellByName(page, name)).locator('.vn-cell-output').innerText();
}

async function errorOf(cell: Locator): Promise<string> {
  return (await cell.locator('.vn-cell-error').allInnerTexts()).join(' ');
}

async function setText(page: Page, name: string, value: string): Promise<void> {
  const input = (await cellByName(page, name)).locator('input[type=text]').first();
  await input.fill(value);
  await input.press('Enter');
  await settle(page);
}

async function select(page: Page, name: string, value: string): Promise<void> {
  await (await cellByName(page, name)).locator('select').first().selectOption(value);
  await settle(page);
}

/** A 28x28 PNG drawn by the page's own canvas: a dark vertical bar (a "1") on white, as a photo would be (the page inverts). */
async function digitPng(page: Page): Promise<Buffer> {
  const url = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 28;
    c.height = 28;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 28, 28);
    ctx.fillStyle = '#000';
    ctx.fillRect(12, 4, 4, 20);
    return c.toDataURL('image/png');
  });
  return Buffer.from(url.split(',')[1]!, 'base64');
}

describe('lesson 17: CNN visualization', () => {
  it('menus change the map, every method returns tensors to baseline, bad input is refused in the cell, an upload works', async () => {
    const { page, errors, close } = await openPage(LESSON, { browser: browser(), timeout: 300_000 });
    try {
      await settle(page);
      const states = await waitForCells(page, { timeout: 300_000 });
      expect(states.filter((c) => c.state === 'rejected').map((c) => `${c.name}: ${c.error}`)).toEqual([]);
      const before = await tensorCount(page);
      expect(before).toBeGreaterThan(0);
      const first = await outputOf(page, 'mainMap');
      expect(first).toMatch(/^grad-cam at conv2d_Conv2D3 \(7×7\), class \d: p = \d+\.\d%/);

      // every method, one after the other: the map's caption changes and no tensor is left behind
      const seen = new Set<string>();
      for (const m of ['cam', 'grad-cam++', 'score-cam', 'eigen-cam', 'saliency', 'guided-backprop', 'occlusion', 'grad-cam']) {
        await select(page, 'method', m);
        const out = await outputOf(page, 'mainMap');
        expect(out.startsWith(m), out).toBe(true);
        seen.add(out);
        expect(await tensorCount(page), m).toBe(before);
      }
      expect(seen.size).toBe(8);

      // the layer menu: the first convolution gives a 28x28 map
      await select(page, 'layerPick', 'conv2d_Conv2D1');
      expect(await outputOf(page, 'mainMap')).toMatch(/^grad-cam at conv2d_Conv2D1 \(28×28\)/);
      // the class: another class, another map maximum
      const top = await outputOf(page, 'mainMap');
      await setText(page, 'classTyped', top.includes('class 3:') ? '5' : '3');
      const other = await outputOf(page, 'mainMap');
      expect(other).not.toBe(top);
      expect(other).toMatch(/class [35]: p = /);
      expect(await tensorCount(page)).toBe(before);

      // a bad class and a bad layer: messages in the cell, the page keeps working
      const main = await cellByName(page, 'mainMap');
      await setText(page, 'classTyped', '12');
      expect(await errorOf(main)).toMatch(/'target' must be a class index, an integer from 0 to 9 \(the model has 10 classes\)/);
      await setText(page, 'classTyped', '');
      await setText(page, 'layerTyped', 'conv9');
      expect(await errorOf(main)).toMatch(/'layer' must be one of the model's layers: conv2d_Conv2D1, max_pooling2d_MaxPooling2D1, .*dense_Dense3/);
      await setText(page, 'layerTyped', '');
      expect(await errorOf(main)).toBe('');
      expect(await tensorCount(page)).toBe(before);

      // another model: the ViT's map is on its 4x4 token grid
      await select(page, 'modelName', 'Lesson 3 ViT');
      expect(await outputOf(page, 'mainMap')).toMatch(/^grad-cam at encoder_layer_1_ln_1 \(4×4\)/);
      await select(page, 'modelName', 'Lesson 1 CNN');

      // an uploaded image: a real PNG works, a text file is refused with a message
      await (await cellByName(page, 'source')).getByRole('radio', { name: 'your image' }).check();
      const upload = (await cellByName(page, 'upload')).locator('input[type=file]');
      await upload.setInputFiles({ name: 'one.png', mimeType: 'image/png', buffer: await digitPng(page) });
      await settle(page);
      expect(await outputOf(page, 'mainMap')).toContain('your image, one.png');
      await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not pixels\n') });
      await settle(page);
      expect(await errorOf(main)).toMatch(/'notes\.txt' could not be decoded as an image/);
      await (await cellByName(page, 'source')).getByRole('radio', { name: 'test digit' }).check();
      await settle(page);
      expect(await errorOf(main)).toBe('');
      expect(await tensorCount(page)).toBe(before);
      expect(realErrors(errors)).toEqual([]);
    } finally {
      await close();
    }
  });
});
