import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index';

// Runs the examples of docs/api/core*.md as they are written and checks each stated result, so a
// changed number on the page or a changed result of the code fails here. The values on the pages are
// worked from the references the pages name (torchvision, pycocotools, the VOC devkit, scipy, ...),
// in each example's explanation.
//
// The format, in every ```ts block of those pages:
//   code; // → RESULT             checks what `code` (one expression, one line) gives;
//   // → RESULT                   on the line after a one-line expression, checks that expression.
// RESULT is a JavaScript expression (Math in scope); after ` — ` comes free explanation. `≈0.4468`
// means "this value, to the digits shown" (within half a unit of the last digit); a literal with
// seven or more decimals is held to all its digits (15 or more: to that exact double); any other
// number to 1e-6 relative (the float32 precision tensors compute in). Tensor results are read with arraySync; promises awaited.
// Every other line runs as written, block by block, with the core exports and `tf` in scope.

const PAGES = ['docs/api/core.md', 'docs/api/core-roi.md', 'docs/api/core-eval.md', 'docs/api/core-deform.md'];
const ARROW = '// → ';

interface Check {
  line: number;
  code: string;
  result: string;
}

interface Block {
  page: string;
  line: number;
  heading: string;
  body: string;
  checks: Check[];
}

/** Splits a page into its ```ts blocks and turns each into an async function body with its checks. */
function parseBlocks(page: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let heading = '(top)';
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6} /.test(lines[i])) heading = lines[i].replace(/^#+ /, '');
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    const code: string[] = [];
    for (i = start; i < lines.length && lines[i].trim() !== '```'; i++) code.push(lines[i]);
    const checks: Check[] = [];
    const out: string[] = [];
    let lastCode = -1; // index in `out` of the last code line, for a `// → ` on the next line
    code.forEach((text, k) => {
      const line = start + k + 1;
      const at = text.indexOf(ARROW);
      if (at < 0) {
        out.push(text);
        if (text.trim() !== '' && !text.trim().startsWith('//')) lastCode = out.length - 1;
        return;
      }
      const result = text.slice(at + ARROW.length).split(' — ')[0].trim();
      let expr = text.slice(0, at).trim();
      let target = out.length;
      if (expr === '') {
        if (lastCode < 0 || lastCode !== out.length - 1) throw new Error(`${page}:${line}: '// →' on its own line must follow a one-line expression`);
        target = lastCode;
        expr = out[lastCode].trim();
      }
      expr = expr.replace(/;$/, '');
      if (/^(const|let|var)\s/.test(expr)) throw new Error(`${page}:${line}: a checked line must be an expression, got '${expr}'`);
      checks.push({ line, code: expr, result });
      out[target] = `__checks.push({ index: ${checks.length - 1}, actual: await (${expr}) });`;
      lastCode = -1;
    });
    blocks.push({ page, line: start, heading, body: out.join('\n'), checks });
  }
  return blocks;
}

interface Expected {
  value: number;
  tol: number;
}

function isExpected(v: unknown): v is Expected {
  return typeof v === 'object' && v !== null && (v as { __expected?: boolean }).__expected === true;
}

/** Evaluates a RESULT, turning `≈0.4468` and long literals into values with the tolerance of their digits. */
function evaluateResult(result: string): unknown {
  const marked = result.replace(/(≈)?(?<![\w.)\]])(-?\d+\.(\d+))/g, (all, approx: string | undefined, lit: string, decimals: string) =>
    approx || decimals.length >= 7 ? `__exact(${lit}, ${decimals.length})` : all,
  );
  if (marked.includes('≈')) throw new Error(`'≈' must come right before a decimal number: ${result}`);
  // 15 or more decimals name one double: held to exactly it.
  const exact = (value: number, digits: number) => ({ __expected: true, value, tol: digits >= 15 ? 0 : 0.5 * 10 ** -digits });
  return new Function('Math', '__exact', `return (${marked});`)(Math, exact);
}

/** Where `actual` differs from `expected`, or null. */
function difference(actual: unknown, expected: unknown, path = 'result'): string | null {
  if (isExpected(expected)) {
    if (typeof actual !== 'number' || !(Math.abs(actual - expected.value) <= expected.tol * (1 + 1e-9))) {
      return `${path}: ${String(actual)}, the page says ${expected.value} (to ±${expected.tol})`;
    }
    return null;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return `${path}: ${JSON.stringify(actual)}, the page says ${expected}`;
    if (Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected))) return null;
    return `${path}: ${actual}, the page says ${expected}`;
  }
  if (Array.isArray(expected)) {
    const a = ArrayBuffer.isView(actual) ? Array.from(actual as unknown as ArrayLike<number>) : actual;
    if (!Array.isArray(a) || a.length !== expected.length) return `${path}: ${JSON.stringify(a)}, the page says ${expected.length} items`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(a[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return `${path}: ${JSON.stringify(actual)}, the page says an object`;
    const keys = Object.keys(expected);
    const extra = Object.keys(actual).filter((k) => !keys.includes(k));
    if (extra.length) return `${path}: has ${extra.join(', ')}, which the page does not show`;
    for (const k of keys) {
      const d = difference((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(actual, expected) ? null : `${path}: ${JSON.stringify(actual)}, the page says ${JSON.stringify(expected)}`;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

async function runBlock(block: Block): Promise<string[]> {
  const scope: Record<string, unknown> = { ...core, tf };
  const names = Object.keys(scope);
  const fn = new AsyncFunction(...names, '__checks', block.body);
  const got: { index: number; actual: unknown }[] = [];
  tf.engine().startScope();
  try {
    await fn(...names.map((n) => scope[n]), got);
    return block.checks.map((check, index) => {
      const entry = got.find((g) => g.index === index);
      if (!entry) return `${block.page}:${check.line}: \`${check.code}\` did not run`;
      const actual = entry.actual instanceof tf.Tensor ? entry.actual.arraySync() : entry.actual;
      const d = difference(actual, evaluateResult(check.result));
      return d ? `${block.page}:${check.line}: \`${check.code}\` → ${d}` : '';
    }).filter(Boolean);
  } finally {
    tf.engine().endScope();
  }
}

describe('the checker', () => {
  it('reads results, tolerances and explanations as the header says, and fails on a changed digit', () => {
    const [block] = parseBlocks('x.md', '```ts\nconst a = [1, 2];\na.length; // → 2 — two items\nMath.PI;\n// → ≈3.1416\n```\n');
    expect(block.checks.map((c) => c.result)).toEqual(['2', '≈3.1416']);
    expect(difference(Math.PI, evaluateResult('≈3.1416'))).toBeNull();
    expect(difference(Math.PI, evaluateResult('≈3.1415'))).toMatch(/the page says 3.1415/);
    expect(difference(0.6011037519201636, evaluateResult('0.6011037519201636'))).toBeNull();
    expect(difference(0.6011037519201636, evaluateResult('0.6011037519201646'))).toMatch(/page says/);
    expect(difference(1 / 7 + 1e-5, evaluateResult('1 / 7'))).toMatch(/page says/);
    expect(difference({ a: [1, 2], b: 3 }, evaluateResult('{a: [1, 2]}'))).toMatch(/has b/);
    expect(difference([-0.25], evaluateResult('[≈-0.2500]'))).toBeNull();
  });

  it('a wrong number on a page fails its check', async () => {
    const [block] = parseBlocks('x.md', '```ts\nboxIou([[0, 0, 2, 2]], [[1, 1, 3, 3]]); // → [[1 / 6]] — wrong on purpose: it is 1/7\n```\n');
    expect(await runBlock(block)).toEqual([expect.stringMatching(/x.md:2: .* the page says 0.1666/)]);
  });
});

for (const page of PAGES) {
  describe(`${page}: every example gives what the page says`, () => {
    const blocks = parseBlocks(page, readFileSync(page, 'utf8'));
    it('has examples, each with a stated result', () => {
      expect(blocks.length).toBeGreaterThan(0);
      for (const b of blocks) expect(b.checks.length, `${page}:${b.line} has no '// → ' result`).toBeGreaterThan(0);
    });
    for (const block of blocks) {
      it(`line ${block.line} (${block.heading}): ${block.checks.length} results`, async () => {
        expect(await runBlock(block)).toEqual([]);
      });
    }
  });
}
