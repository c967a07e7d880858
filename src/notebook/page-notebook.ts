import { Runtime } from '@observablehq/runtime';
import { compileCell, type VariableDefinition } from './compile-cell';
import { parseCellSource } from './parse-cell';
import { keeperFor } from './tensor-keeper';

/** What a cell's view implements to show the state of its variable. */
export interface CellObserver {
  pending(): void;
  fulfilled(value: unknown, name?: string | null): void;
  rejected(error: unknown, name?: string | null): void;
  /**
   * A generator cell started (true) or finished (false) yielding. Its last
   * value stays "fulfilled" meanwhile, so only this says it is still running.
   */
  running?(active: boolean): void;
}

type Generatorish = { next(v?: unknown): unknown; return(v?: unknown): unknown; throw?(e?: unknown): unknown };

function isGeneratorish(value: unknown): value is Generatorish {
  return !!value && typeof (value as Generatorish).next === 'function' && typeof (value as Generatorish).return === 'function';
}

/**
 * Wraps a cell's generator so its start and end are reported. The runtime
 * only ever calls next() and return(); `onEnd` runs once whichever way it ends
 * (done, thrown, returned because the cell re-ran or stopped).
 */
function trackGenerator(generator: Generatorish, onEnd: () => void): Generatorish {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  const settle = (r: unknown) => {
    if ((r as { done?: boolean })?.done) end();
    return r;
  };
  const failed = (e: unknown) => {
    end();
    throw e;
  };
  const wrapped: Generatorish & Record<symbol, unknown> = {
    next(v?: unknown) {
      try {
        const r = generator.next(v);
        return r && typeof (r as Promise<unknown>).then === 'function' ? (r as Promise<unknown>).then(settle, failed) : settle(r);
      } catch (e) {
        return failed(e);
      }
    },
    return(v?: unknown) {
      end();
      return generator.return(v);
    },
    throw(e?: unknown) {
      end();
      return generator.throw?.(e);
    },
  };
  wrapped[Symbol.iterator] = () => wrapped;
  wrapped[Symbol.asyncIterator] = () => wrapped;
  return wrapped;
}

/** Values (or lazy factories) every cell can read by name: the stdlib, tf, d3, the course library. */
export type Builtins = Record<string, unknown>;

interface RuntimeVariable {
  define(name: string | null, inputs: string[], definition: (...args: any[]) => unknown): RuntimeVariable;
  delete(): void;
  dispose(): void;
}
interface RuntimeModule {
  variable(observer?: CellObserver): RuntimeVariable;
  value(name: string): Promise<unknown>;
  redefine(name: string, inputs: string[], definition: (...args: any[]) => unknown): void;
}

/** The name the reader sees for a cell: `x`, `viewof x` → `x`, `mutable x` → `x`. */
function shownName(definitions: VariableDefinition[]): VariableDefinition {
  // The last definition of a viewof (its value) is hidden; the element is shown.
  return definitions.length === 2 ? definitions[0] : definitions[definitions.length - 1];
}

/**
 * One page's notebook: one Observable runtime and one module holding every
 * cell of the page, so a cell that reads `iouThreshold` re-runs when the
 * slider named `iouThreshold` moves. Knows nothing of detection or of Vue.
 */
export class PageNotebook {
  private readonly runtime: { module(): RuntimeModule; dispose(): void };
  private readonly module: RuntimeModule;
  private readonly cells = new Map<string, RuntimeVariable[]>();
  private disposed = false;

  constructor(builtins: Builtins) {
    this.runtime = new Runtime(builtins) as unknown as PageNotebook['runtime'];
    this.module = this.runtime.module();
  }

  private readonly views = new Map<string, string>();

  /**
   * Defines (or redefines) the cell `cellId` from source. Syntax errors show
   * in the cell. Returns the cell's name and kind (null when it did not parse).
   */
  define(cellId: string, source: string, observer: CellObserver): { name: string | null; kind: string } | null {
    if (this.disposed) throw new Error('This page notebook was disposed.');
    this.delete(cellId);
    const given = observer;
    observer = this.guard(cellId, observer);
    let definitions: VariableDefinition[];
    let generator = false;
    try {
      const parsed = parseCellSource(source);
      generator = parsed.generator && parsed.kind === 'plain';
      definitions = compileCell(parsed, keeperFor);
    } catch (error) {
      // Defining a variable that throws routes the error through the same observer as any other failure.
      const variable = this.module.variable(observer).define(null, [], () => {
        throw error;
      });
      this.cells.set(cellId, [variable]);
      return null;
    }
    const shown = shownName(definitions);
    if (generator) shown.definition = this.tracked(shown.definition, observer);
    const variables = definitions.map((d) =>
      this.module.variable(d === shown ? observer : undefined).define(d.name, d.inputs, d.definition),
    );
    this.cells.set(cellId, variables);
    this.stoppable.set(cellId, { names: definitions.map((d) => d.name), shown: definitions.indexOf(shown), observer: given });
    const parsed = definitions[0];
    const kind = definitions.length === 2 ? 'viewof' : definitions.length === 3 ? 'mutable' : 'plain';
    const name = kind === 'plain' ? parsed.name : definitions[definitions.length - 1].name;
    if (kind === 'viewof' && name) this.views.set(cellId, name);
    return { name, kind };
  }

  /**
   * The current values of the page's inputs (`viewof` cells) that are plain
   * data: numbers, strings, booleans and arrays of them. Only these travel in
   * a shared link; never code.
   */
  async inputValues(): Promise<Record<string, number | string | boolean | number[] | string[]>> {
    const out: Record<string, number | string | boolean | number[] | string[]> = {};
    for (const name of this.views.values()) {
      const value = await this.module.value(name).catch(() => undefined);
      const plain = (v: unknown) => ['number', 'string', 'boolean'].includes(typeof v);
      if (plain(value) || (Array.isArray(value) && value.every(plain))) out[name] = value as number;
    }
    return out;
  }

  private readonly generations = new Map<string, number>();
  private readonly stoppable = new Map<string, { names: (string | null)[]; shown: number; observer: CellObserver }>();

  /**
   * A generator cell's definition whose generators report when they run. A
   * re-run can start the next generator before the old one is returned, so
   * the cell is running while any of its generators is.
   */
  private tracked(definition: (...args: any[]) => unknown, observer: CellObserver) {
    let live = 0;
    return (...args: unknown[]) => {
      const value = definition(...args);
      if (!isGeneratorish(value)) return value;
      if (live++ === 0) observer.running?.(true);
      return trackGenerator(value, () => {
        if (--live === 0) observer.running?.(false);
      });
    };
  }

  /**
   * Stops a cell that is still running (a promise that has not settled, a
   * generator still yielding): its generator is returned and its
   * invalidation resolves, and the cell, and the cells that read it, show
   * that it was stopped. Defining it again (Run) restarts it.
   */
  stop(cellId: string): boolean {
    const entry = this.stoppable.get(cellId);
    if (!entry || this.disposed) return false;
    this.delete(cellId);
    const observer = this.guard(cellId, entry.observer);
    observer.running?.(false);
    const stopped = Object.assign(new Error('Stopped by the reader; run the cell again to restart it.'), { name: 'Stopped' });
    const variables = entry.names.map((name, i) =>
      this.module.variable(i === entry.shown ? observer : undefined).define(name, [], () => {
        throw stopped;
      }),
    );
    this.cells.set(cellId, variables);
    return true;
  }

  /**
   * Wraps an observer so it goes quiet once its cell is redefined: the
   * runtime reports a deleted variable as `undefined`, which would otherwise
   * overwrite the new definition's output.
   */
  private guard(cellId: string, observer: CellObserver): CellObserver {
    const generation = (this.generations.get(cellId) ?? 0) + 1;
    this.generations.set(cellId, generation);
    const live = () => this.generations.get(cellId) === generation;
    return {
      pending: () => live() && observer.pending(),
      fulfilled: (value, name) => live() && observer.fulfilled(value, name),
      rejected: (error, name) => live() && observer.rejected(error, name),
      running: (active) => live() && observer.running?.(active),
    };
  }

  /** Removes a cell's variables; cells that read them then see "x is not defined". */
  delete(cellId: string): void {
    const old = this.cells.get(cellId);
    if (!old) return;
    this.views.delete(cellId);
    this.stoppable.delete(cellId);
    this.generations.set(cellId, (this.generations.get(cellId) ?? 0) + 1);
    // delete() alone takes the variable out of the runtime before it recomputes,
    // so its invalidation would never resolve and kept tensors would outlive the
    // page: dispose first (invalidation resolves, generators return), then delete.
    for (const variable of old) {
      variable.dispose();
      variable.delete();
    }
    this.cells.delete(cellId);
  }

  /** The current value of a named variable (waits for it to settle). */
  value(name: string): Promise<unknown> {
    return this.module.value(name);
  }

  /** Sets the value of a `viewof` input from outside (a shared link, a test). */
  async setInput(name: string, value: unknown): Promise<boolean> {
    const element = (await this.module.value(`viewof ${name}`).catch(() => null)) as
      | (EventTarget & { value: unknown })
      | null;
    if (!element || typeof element.dispatchEvent !== 'function') return false;
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  }

  get cellIds(): string[] {
    return [...this.cells.keys()];
  }

  /** Stops every cell: generators are returned, invalidation promises resolve, kept tensors are disposed. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runtime.dispose();
    this.cells.clear();
  }
}
