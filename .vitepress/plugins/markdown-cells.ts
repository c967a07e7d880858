import type { MarkdownRenderer } from 'vitepress';
import { cellRole, definedName, isCellInfo, isReadElsewhere, parseCellOptions } from '../../src/notebook/index';

interface Env {
  relativePath?: string;
  __cellCount?: number;
}

/**
 * Turns ```` ```js cell ```` fences into <NotebookCell> components. The
 * source travels URI-encoded in an attribute so Vue's template compiler
 * never sees `{{` or `<` from the code; the static HTML still shows the code
 * (search indexes it, and a reader without JavaScript can read it).
 */
export function notebookCells(md: MarkdownRenderer): void {
  const previous = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env: Env, self) => {
    const token = tokens[idx];
    if (!isCellInfo(token.info)) return previous(tokens, idx, options, env, self);
    const index = (env.__cellCount = (env.__cellCount ?? 0) + 1);
    let opts;
    try {
      opts = parseCellOptions(token.info);
    } catch (e) {
      throw new Error(`${env.relativePath ?? 'a page'}: ${(e as Error).message}`);
    }
    const id = opts.id ?? `cell-${index}`;
    const code = encodeURIComponent(token.content.replace(/\n$/, ''));
    // The role is settled here, at build time, so the static HTML already folds plumbing.
    const role = cellRole(token.content, opts);
    // A named value that no other cell on the page reads is this cell's readout: print it.
    const name = definedName(token.content);
    const others = tokens.filter((t, i) => i !== idx && t.type === 'fence' && isCellInfo(t.info)).map((t) => t.content);
    const show = opts.show || (name !== null && !isReadElsewhere(name, others));
    const flags = [role, show && 'show', opts.readonly && 'readonly', opts.norun && 'norun', opts.outputBelow && 'output-below']
      .filter(Boolean)
      .join(' ');
    return `<NotebookCell cell-id="${id}" code="${code}" flags="${flags}" />\n`;
  };
}
