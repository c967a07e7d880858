import { describe, expect, it } from 'vitest';
import { describeError } from '../../.vitepress/theme/notebook/render-error';
import { PageNotebook } from '../../src/notebook/page-notebook';

/** The error the runtime hands a cell's observer for `source` (null when the cell fulfils). */
function errorOf(source: string, before: Array<[string, string]> = []): Promise<unknown> {
  const nb = new PageNotebook({});
  const quiet = { pending() {}, fulfilled() {}, rejected() {} };
  for (const [id, code] of before) nb.define(id, code, quiet);
  return new Promise<unknown>((resolve) => {
    nb.define('cell', source, {
      pending() {},
      fulfilled: () => resolve(null),
      rejected: (e) => resolve(e),
    });
  }).finally(() => nb.dispose());
}

// The errors come from the real parser and runtime, so a change in either that
// would make the messages unreadable shows here.
describe('describeError: what a failing cell says', () => {
  it('a syntax error names the line and column, once', async () => {
    const shown = describeError(await errorOf('x = 1 +\n  * 2'));
    expect(shown.title).toBe('Syntax error');
    expect(shown.detail).toMatch(/\(line 2, column 3\)$/);
    expect(shown.detail).not.toMatch(/\(\d+:\d+\)/);
  });

  it('a thrown error shows its own message', async () => {
    expect(describeError(await errorOf('{ throw new Error("the kernel must be odd") }'))).toEqual({
      title: 'Error',
      detail: 'the kernel must be odd',
    });
    expect(describeError(await errorOf('{ null.x }')).title).toBe('TypeError');
  });

  it('an undefined name asks whether it is misspelt', async () => {
    const shown = describeError(await errorOf('strde + 1'));
    expect(shown.title).toBe('Unknown name');
    expect(shown.detail).toBe('strde is not defined. Is it defined in another cell, or misspelt?');
  });

  it('a rejected promise shows the rejection', async () => {
    expect(describeError(await errorOf('Promise.reject(new RangeError("no photo at that index"))'))).toEqual({
      title: 'RangeError',
      detail: 'no photo at that index',
    });
  });

  it('a cell reading a failed cell names the input that failed', async () => {
    const shown = describeError(await errorOf('a + 1', [['up', 'a = { throw new Error("broken upstream") }']]));
    expect(shown.title).toBe('Input failed');
    expect(shown.detail).toBe("This cell reads 'a', which failed: broken upstream");
  });

  it('something thrown that is not an Error is shown as text', async () => {
    expect(describeError(await errorOf('{ throw "plain words" }'))).toEqual({ title: 'Error', detail: 'plain words' });
  });
});
