import type { Builtins } from './page-notebook';

/**
 * What the page hands the engine for the names cells read from outside the
 * notebook (tfjs and a course library). The engine only forwards them: it
 * imports no course code, so it runs any namespace (the tests give it a
 * stub one).
 */
export interface Namespace {
  /** Every name cells may read from `load()`'s result (besides `tf`), known before it loads. */
  names: readonly string[];
  /** Loads `tf` and the named values, ready to compute (a backend started); called once per page. */
  load(): Promise<Record<string, unknown>>;
}

/**
 * Everything a cell can read by name without defining it: the stdlib, the
 * plotting libraries and the page's namespace (`tf` and the course). Loaded
 * only in the browser, on a page that has cells (dynamic imports), so the static build
 * and pages without cells never load tfjs or the runtime's libraries.
 *
 * Observable's stdlib would fetch `md`, `tex`, `Inputs`, `d3` and `Plot`
 * from a CDN; the course serves them from its own bundle instead.
 */
export async function loadBuiltins(contentWidth: () => number, namespace: Namespace): Promise<Builtins> {
  const [{ Library }, Inputs, d3, Plot, katex, MarkdownIt] = await Promise.all([
    import('@observablehq/stdlib'),
    import('@observablehq/inputs'),
    import('d3'),
    import('@observablehq/plot'),
    import('katex').then((m) => m.default),
    import('markdown-it').then((m) => m.default),
  ]);
  // tfjs and the course library are large: cells that do not read them (sliders, prose,
  // formulas) run at once, and the ones that do wait for this promise.
  const loaded = namespace.load();
  // A failure shows in each cell that reads tf; this only keeps it from also being reported as unhandled.
  loaded.catch(() => undefined);
  const lazy: Builtins = {};
  for (const name of ['tf', ...namespace.names]) lazy[name] = () => loaded.then((m) => m[name]);
  const stdlib = new Library() as Record<string, any>;
  const markdown = new MarkdownIt({ html: true, linkify: true });

  const md = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const div = document.createElement('div');
    div.className = 'vn-md';
    div.innerHTML = markdown.render(String.raw(strings, ...values));
    return div.childElementCount === 1 ? div.firstElementChild : div;
  };
  const tex = Object.assign(
    (strings: TemplateStringsArray, ...values: unknown[]) => {
      const span = document.createElement('span');
      katex.render(String.raw(strings, ...values), span, { throwOnError: false });
      return span;
    },
    {
      block: (strings: TemplateStringsArray, ...values: unknown[]) => {
        const div = document.createElement('div');
        katex.render(String.raw(strings, ...values), div, { displayMode: true, throwOnError: false });
        return div;
      },
    },
  );
  const width = () =>
    stdlib.Generators.observe((change: (w: number) => void) => {
      let last = contentWidth();
      change(last);
      const resized = () => {
        const w = contentWidth();
        if (w !== last) change((last = w));
      };
      window.addEventListener('resize', resized);
      return () => window.removeEventListener('resize', resized);
    });

  // A builtin that is a function is called once by the runtime to get its value.
  const constant = (value: unknown) => () => value;
  return {
    html: constant(stdlib.html()),
    svg: constant(stdlib.svg()),
    md: constant(md),
    tex: constant(tex),
    DOM: constant(stdlib.DOM),
    Files: constant(stdlib.Files),
    Generators: constant(stdlib.Generators),
    Promises: constant(stdlib.Promises),
    Mutable: constant(stdlib.Mutable()),
    now: stdlib.now,
    width,
    Inputs: constant(Inputs),
    d3: constant(d3),
    Plot: constant(Plot),
    ...lazy,
    require: constant(() => {
      throw new Error('require() is not available: pages work offline, and everything a cell needs is already in scope (tf, d3, Plot, Inputs and the page namespace, e.g. vn).');
    }),
  };
}
