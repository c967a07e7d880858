import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { chromiumForTests, openPage, realErrors, waitForCells } from './harness';

/**
 * Every page of the built site opens, every cell settles, no cell is in error
 * (except the one the authoring guide breaks on purpose) and nothing is logged
 * to the console as an error. Lesson pages are crawled (more deeply: sliders,
 * tensors) by lessons.test.ts, from the lesson folders on disk.
 */

/** Cells that must fail, by page and cell name, with the message they must show. */
const FAILS_ON_PURPOSE: Record<string, Record<string, string>> = {
  'docs/writing-a-lesson.html': {
    brokenOnPurpose: 'This cell fails on purpose: the message shows here.',
  },
};

function htmlPages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'assets') walk(p);
      } else if (e.name.endsWith('.html')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((p) => p !== '404.html' && !/^lessons\/[^/]+\/index\.html$/.test(p)).sort();
}

const pages = htmlPages(inject('distDir'));

describe('every built page', () => {
  const browser = chromiumForTests();

  it('finds the pages', () => {
    expect(pages).toContain('index.html');
    expect(pages).toContain('docs/writing-a-lesson.html');
  });

  it.each(pages)('%s: every cell settles, none in error, no console error', async (path) => {
    const { page, errors, close } = await openPage(`/${path}`, { browser: browser(), timeout: 180_000, waitForCells: false });
    try {
      const states = await waitForCells(page, { timeout: 180_000 });
      const expected = FAILS_ON_PURPOSE[path] ?? {};
      const rejected = states.filter((c) => c.state === 'rejected');
      const unexpected = rejected
        .filter((c) => !(c.name in expected))
        .map((c) => `${c.id}${c.name ? ` (${c.name})` : ''}: ${c.error}`);
      expect(unexpected, `cells in error on ${path}`).toEqual([]);
      for (const [name, message] of Object.entries(expected)) {
        const cell = states.find((c) => c.name === name);
        expect(cell, `cell ${name} on ${path}`).toBeDefined();
        expect(cell!.state, `cell ${name} on ${path}`).toBe('rejected');
        expect(cell!.error).toContain(message);
      }
      expect(realErrors(errors), `console errors on ${path}`).toEqual([]);
    } finally {
      await close();
    }
  });
});
