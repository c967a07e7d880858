import { describe, expect, it } from 'vitest';
import { PageNotebook, type CellObserver } from '../../src/notebook/page-notebook';

/** Records what the runtime tells a cell; `settled` resolves at the next fulfilled/rejected. */
function recorder() {
  const events: Array<{ kind: string; value?: unknown; error?: unknown }> = [];
  let wake: (() => void) | null = null;
  const observer: CellObserver = {
    pending: () => events.push({ kind: 'pending' }),
    fulfilled: (value) => {
      events.push({ kind: 'fulfilled', value });
      wake?.();
    },
    rejected: (error) => {
      events.push({ kind: 'rejected', error });
      wake?.();
    },
    running: (active) => {
      events.push({ kind: active ? 'running' : 'ended' });
      wake?.();
    },
  };
  const last = () => events.filter((e) => e.kind === 'fulfilled' || e.kind === 'rejected').at(-1);
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  return { observer, events, last, next };
}

const builtins = {
  Generators: {
    input: (element: EventTarget & { value: unknown }) => {
      // Minimal Generators.input: yields the current value, then each new one on 'input'.
      let resolve: ((v: unknown) => void) | null = null;
      const queue: unknown[] = [element.value];
      element.addEventListener('input', () => {
        if (resolve) {
          resolve(element.value);
          resolve = null;
        } else queue.push(element.value);
      });
      return {
        next: () =>
          queue.length ? { done: false, value: Promise.resolve(queue.shift()) } : { done: false, value: new Promise((r) => (resolve = r)) },
        return: () => ({ done: true }),
        [Symbol.iterator]() {
          return this;
        },
      };
    },
  },
  // Builtins that are functions are called by the runtime to get their value, as stdlib's Library does.
  Mutable: () =>
    function Mutable(this: { value: unknown; generator: unknown }, v: unknown) {
      this.value = v;
      this.generator = v;
    },
};

async function settle(rec: ReturnType<typeof recorder>) {
  while (!rec.last()) await rec.next();
}

describe('PageNotebook wires cells by name (Observable runtime semantics)', () => {
  it('a downstream cell follows its input when the input is redefined', async () => {
    const nb = new PageNotebook(builtins);
    const a = recorder();
    const b = recorder();
    nb.define('c1', 'b = a * 2', b.observer);
    nb.define('c0', 'a = 21', a.observer);
    await settle(b);
    expect(b.last()).toEqual({ kind: 'fulfilled', value: 42 });
    const changed = b.next();
    nb.define('c0', 'a = 5', a.observer);
    await changed;
    expect(b.last()).toEqual({ kind: 'fulfilled', value: 10 });
    nb.dispose();
  });

  it('a syntax error stays in its cell, with the position', async () => {
    const nb = new PageNotebook(builtins);
    const bad = recorder();
    const good = recorder();
    nb.define('bad', 'x = (1 +', bad.observer);
    nb.define('good', 'y = 3', good.observer);
    await settle(bad);
    await settle(good);
    const error = bad.last()!.error as Error;
    expect(error.name).toBe('SyntaxError');
    expect(error.message).toMatch(/Unexpected/);
    expect(good.last()).toEqual({ kind: 'fulfilled', value: 3 });
    nb.dispose();
  });

  it('a thrown error, an undefined name and a rejected promise each show in their own cell only', async () => {
    const nb = new PageNotebook(builtins);
    const thrown = recorder();
    const undef = recorder();
    const rejected = recorder();
    const fine = recorder();
    nb.define('t', '{ throw new Error("boom") }', thrown.observer);
    nb.define('u', 'notDefinedAnywhere + 1', undef.observer);
    nb.define('r', 'Promise.reject(new Error("nope"))', rejected.observer);
    nb.define('f', '1 + 1', fine.observer);
    await Promise.all([settle(thrown), settle(undef), settle(rejected), settle(fine)]);
    expect((thrown.last()!.error as Error).message).toBe('boom');
    expect(String((undef.last()!.error as Error).message)).toMatch(/notDefinedAnywhere is not defined/);
    expect((rejected.last()!.error as Error).message).toBe('nope');
    expect(fine.last()).toEqual({ kind: 'fulfilled', value: 2 });
    nb.dispose();
  });

  it('an error upstream propagates to dependants, and clears when fixed', async () => {
    const nb = new PageNotebook(builtins);
    const up = recorder();
    const down = recorder();
    nb.define('up', 'a = { throw new Error("broken") }', up.observer);
    nb.define('down', 'a + 1', down.observer);
    await settle(down);
    expect(down.last()!.kind).toBe('rejected');
    const next = down.next();
    nb.define('up', 'a = 1', up.observer);
    await next;
    expect(down.last()).toEqual({ kind: 'fulfilled', value: 2 });
    nb.dispose();
  });

  it('viewof defines the element and its value; setInput drives dependants', async () => {
    const nb = new PageNotebook(builtins);
    const view = recorder();
    const down = recorder();
    nb.define('v', 'viewof threshold = Object.assign(new EventTarget(), { value: 0.5 })', view.observer);
    nb.define('d', 'threshold * 10', down.observer);
    await settle(down);
    expect(down.last()).toEqual({ kind: 'fulfilled', value: 5 });
    const next = down.next();
    expect(await nb.setInput('threshold', 0.7)).toBe(true);
    await next;
    expect(down.last()).toEqual({ kind: 'fulfilled', value: 7 });
    // Only plain input values are offered for a shared link.
    expect(await nb.inputValues()).toEqual({ threshold: 0.7 });
    nb.dispose();
  });

  it('generators yield values in turn, and async cells resolve', async () => {
    const nb = new PageNotebook(builtins);
    const gen = recorder();
    const asy = recorder();
    nb.define('g', '{ for (let i = 1; i <= 3; i++) yield i; }', gen.observer);
    nb.define('a', '{ await new Promise(r => setTimeout(r, 5)); return "done" }', asy.observer);
    await settle(asy);
    while (gen.events.filter((e) => e.kind === 'fulfilled').length < 3) await gen.next();
    expect(gen.events.filter((e) => e.kind === 'fulfilled').map((e) => e.value)).toEqual([1, 2, 3]);
    expect(asy.last()).toEqual({ kind: 'fulfilled', value: 'done' });
    nb.dispose();
  });

  it('keep(x) disposes x when the cell re-runs and when the page is disposed', async () => {
    const nb = new PageNotebook(builtins);
    const disposed: number[] = [];
    const src = (n: number) => `keep({ id: ${n}, dispose() { globalThis.__disposed.push(${n}) } })`;
    (globalThis as any).__disposed = disposed;
    const cell = recorder();
    nb.define('k', src(1), cell.observer);
    await settle(cell);
    const next = cell.next();
    nb.define('k', src(2), cell.observer);
    await next;
    // Invalidation resolves asynchronously after the redefinition.
    await new Promise((r) => setTimeout(r, 0));
    expect(disposed).toEqual([1]);
    nb.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(disposed).toEqual([1, 2]);
    delete (globalThis as any).__disposed;
  });

  it('a cell deleted before the page is disposed (its component unmounted first) still disposes what it kept', async () => {
    // Leaving a page unmounts every cell (delete) and then disposes the notebook;
    // the runtime drops deleted variables at once, so delete must invalidate them itself.
    const nb = new PageNotebook(builtins);
    const disposed: number[] = [];
    (globalThis as any).__disposed = disposed;
    const cell = recorder();
    nb.define('k', 'keep({ dispose() { globalThis.__disposed.push(7) } })', cell.observer);
    await settle(cell);
    nb.delete('k');
    nb.dispose();
    await new Promise((r) => setTimeout(r, 0));
    expect(disposed).toEqual([7]);
    delete (globalThis as any).__disposed;
  });

  it('a re-run returns a running generator (so training loops stop)', async () => {
    const nb = new PageNotebook(builtins);
    (globalThis as any).__stopped = 0;
    const cell = recorder();
    nb.define('g', '{ try { let i = 0; while (true) { yield i++; await new Promise(r => setTimeout(r, 1)); } } finally { globalThis.__stopped++ } }', cell.observer);
    await settle(cell);
    nb.define('g', '"replaced"', cell.observer);
    await new Promise((r) => setTimeout(r, 50));
    // The deleted generator's variable must not overwrite the new output.
    expect(cell.last()).toEqual({ kind: 'fulfilled', value: 'replaced' });
    expect((globalThis as any).__stopped).toBe(1);
    nb.dispose();
    delete (globalThis as any).__stopped;
  });

  it('mutable cells can be assigned by other cells', async () => {
    const nb = new PageNotebook(builtins);
    const counter = recorder();
    nb.define('m', 'mutable count = 1', counter.observer);
    const bump = recorder();
    nb.define('b', '{ mutable count = mutable count + 41; return "bumped" }', bump.observer);
    await settle(bump);
    expect(bump.last()).toEqual({ kind: 'fulfilled', value: 'bumped' });
    expect(await nb.value('mutable count').then((m: any) => m.value)).toBe(42);
    nb.dispose();
  });

  it('a generator cell reports that it runs until its last yield', async () => {
    const nb = new PageNotebook(builtins);
    const gen = recorder();
    nb.define('g', '{ for (let i = 1; i <= 3; i++) yield i; }', gen.observer);
    while (!gen.events.some((e) => e.kind === 'ended')) await gen.next();
    expect(gen.events.filter((e) => e.kind !== 'pending').map((e) => (e.kind === 'fulfilled' ? e.value : e.kind))).toEqual([
      'running', 1, 2, 3, 'ended',
    ]);
    // a plain cell, and a viewof or mutable (whose value generators never end), never report running
    const plain = recorder();
    nb.define('p', '40 + 2', plain.observer);
    nb.define('m', 'mutable count = 1', plain.observer);
    await settle(plain);
    await new Promise((r) => setTimeout(r, 20));
    expect(plain.events.some((e) => e.kind === 'running')).toBe(false);
    nb.dispose();
  });

  it('stop() ends a generator that never ends; its readers say it was stopped; Run restarts it', async () => {
    const nb = new PageNotebook(builtins);
    (globalThis as any).__stopped = 0;
    const source = '{ try { let i = 0; while (true) { yield i++; await new Promise(r => setTimeout(r, 1)); } } finally { globalThis.__stopped++ } }';
    const cell = recorder();
    const reader = recorder();
    nb.define('g', `ticks = ${source}`, cell.observer);
    nb.define('r', 'ticks * 2', reader.observer);
    while (cell.events.filter((e) => e.kind === 'fulfilled').length < 3) await cell.next();
    expect(cell.events.filter((e) => e.kind === 'running')).toHaveLength(1);
    expect(nb.stop('g')).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect((globalThis as any).__stopped).toBe(1);
    expect(cell.events.at(-1)!.kind).toBe('rejected');
    expect(cell.events.filter((e) => e.kind === 'ended')).toHaveLength(1);
    expect((cell.last()!.error as Error).name).toBe('Stopped');
    expect(reader.last()!.kind).toBe('rejected');
    expect(String((reader.last()!.error as Error).message)).toMatch(/Stopped by the reader/);
    const count = cell.events.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(cell.events.length).toBe(count); // nothing more arrives from the stopped generator
    expect(nb.stop('g')).toBe(false); // already stopped
    nb.define('g', 'ticks = 5', cell.observer);
    await settle(reader);
    while (reader.last()?.kind !== 'fulfilled') await reader.next();
    expect(reader.last()).toEqual({ kind: 'fulfilled', value: 10 });
    nb.dispose();
    delete (globalThis as any).__stopped;
  });

  it('stop() also ends a cell whose promise never settles', async () => {
    const nb = new PageNotebook(builtins);
    const cell = recorder();
    const other = recorder();
    nb.define('w', 'waiting = new Promise(() => {})', cell.observer);
    nb.define('o', '"unrelated"', other.observer);
    await settle(other);
    expect(cell.last()).toBeUndefined();
    expect(nb.stop('w')).toBe(true);
    await settle(cell);
    expect((cell.last()!.error as Error).name).toBe('Stopped');
    expect(other.last()).toEqual({ kind: 'fulfilled', value: 'unrelated' });
    nb.dispose();
  });
});
