import { readFileSync, writeFileSync } from 'node:fs';
import { createMarkdownRenderer } from 'vitepress';
import { describe, expect, it } from 'vitest';
import { notebookCells } from '../../.vitepress/plugins/markdown-cells';

const golden = (name: string) => new URL(`../notebook/golden/${name}`, import.meta.url);

/**
 * Golden-file test, as observablehq/framework tests its Markdown transform:
 * the input page rendered through the cell plugin must equal the stored
 * output. Set UPDATE_GOLDEN=1 to rewrite the output after a deliberate change.
 */
describe('the Markdown cell plugin', () => {
  it('turns cell fences into <NotebookCell> and leaves other code blocks alone', async () => {
    const md = await createMarkdownRenderer(process.cwd(), { config: (m) => notebookCells(m) });
    const html = md.render(readFileSync(golden('input/cells.md'), 'utf8'), { relativePath: 'cells.md' });
    const expectedFile = golden('output/cells.html');
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, html);
    // Shiki's colours are left out of the comparison: under a loaded CPU its tokenizer hits its time limit and paints
    // the rest of a line in the previous token's colour, and colouring is not what this plugin does.
    const uncoloured = (h: string) => h.replace(/ style="--shiki-[^"]*"/g, '');
    expect(uncoloured(html)).toBe(uncoloured(readFileSync(expectedFile, 'utf8')));
    // The source survives the trip through the attribute exactly.
    const code = /cell-id="size" code="([^"]*)"/.exec(html)![1];
    expect(decodeURIComponent(code)).toBe('size = Math.floor((28 - 3) / stride) + 1 // "quotes" & <tags> {{ mustaches }}');
  });

  it('fails the build on an unknown option, naming the page', async () => {
    const md = await createMarkdownRenderer(process.cwd(), { config: (m) => notebookCells(m) });
    expect(() => md.render('```js cell hiden\n1\n```\n', { relativePath: 'lessons/x.md' })).toThrow(/lessons\/x.md: Unknown cell option 'hiden'/);
  });
});
