import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { defineExercise, prepareCases } from '../../src/exercises/exercise';
import { Grader, gradeExercise, timeoutMessage, type WorkerLike } from '../../src/exercises/grader';
import type { GradeRequest, WorkerReply } from '../../src/exercises/grader-protocol';
import { runCases } from '../../src/exercises/run-cases';

/**
 * A stand-in for the module worker. 'inline' does what grader.worker.ts does,
 * in this thread; 'silent' loads and then never answers (what an infinite loop
 * looks like from the page); 'crash' fails while loading.
 */
class FakeWorker implements WorkerLike {
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: { message?: string }) => void) | null = null;
  terminated = false;
  received: unknown[] = [];
  constructor(private mode: 'inline' | 'silent' | 'crash' | 'never-ready') {
    queueMicrotask(() => {
      if (mode === 'crash') this.onerror?.({ message: 'SyntaxError in worker' });
      else if (mode !== 'never-ready') this.reply({ type: 'ready' });
    });
  }
  reply(r: WorkerReply) {
    if (!this.terminated) this.onmessage?.({ data: r });
  }
  postMessage(m: unknown) {
    this.received.push(m);
    if (this.mode !== 'inline') return;
    const req = m as GradeRequest;
    void (async () => {
      try {
        const fn = compileLearnerCode(req.code, req.entry);
        this.reply({ type: 'done', results: await runCases(fn, req.cases, undefined, { tolerance: req.tolerance }), logs: [] });
      } catch (e) {
        this.reply({ type: 'error', message: (e as Error).message, logs: [] });
      }
    })();
  }
  terminate() {
    this.terminated = true;
  }
}

const double = defineExercise({
  id: 'double',
  title: 'Double',
  entry: 'double',
  starter: 'function double(x) {\n}',
  solution: 'function double(x) { return 2 * x; }',
  cases: [{ args: [2], visible: true }, { args: [-1.5] }],
  reference: (x: number) => 2 * x,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('timeoutMessage', () => {
  it('says the limit in seconds', () => {
    expect(timeoutMessage(3000)).toBe('Your code ran longer than 3 s — an infinite loop?');
    expect(timeoutMessage(1500)).toBe('Your code ran longer than 1.5 s — an infinite loop?');
  });
});

describe('Grader with a fake worker', () => {
  it('grades a right solution as passed and terminates the worker', async () => {
    const workers: FakeWorker[] = [];
    const grader = new Grader({ createWorker: () => (workers.push(new FakeWorker('inline')), workers.at(-1)!), keepSpare: false });
    const outcome = await gradeExercise(double, double.solution, grader);
    expect(outcome.status).toBe('done');
    expect(outcome.status === 'done' && outcome.passed).toBe(true);
    expect(workers.map((w) => w.terminated)).toEqual([true]);
    // the page sent only plain data: expected values came from the reference (2*2 = 4, 2*-1.5 = -3)
    const sent = workers[0]!.received[0] as GradeRequest;
    expect(sent.cases.map((c) => c.expected)).toEqual([4, -3]);
  });

  it('grades a wrong solution as not passed, with expected against got for the visible case', async () => {
    const grader = new Grader({ createWorker: () => new FakeWorker('inline'), keepSpare: false });
    const outcome = await gradeExercise(double, 'function double(x) { return x + 2; }', grader);
    // case 1: 2 + 2 = 4 = 2*2 (passes by accident); case 2: -1.5 + 2 = 0.5 != -3
    expect(outcome.status === 'done' && outcome.results.map((r) => r.passed)).toEqual([true, false]);
    expect(outcome.status === 'done' && outcome.passed).toBe(false);
  });

  it('reports a compile error from the worker', async () => {
    const grader = new Grader({ createWorker: () => new FakeWorker('inline'), keepSpare: false });
    const outcome = await gradeExercise(double, 'function triple(x) { return 3 * x; }', grader);
    expect(outcome).toEqual({ status: 'error', message: "define a function named 'double'", logs: [] });
  });

  it('terminates a worker that does not answer within the limit and says why', async () => {
    vi.useFakeTimers();
    const workers: FakeWorker[] = [];
    const grader = new Grader({ createWorker: () => (workers.push(new FakeWorker('silent')), workers.at(-1)!), keepSpare: false });
    const cases = await prepareCases(double);
    const pending = grader.run({ code: 'function double(x) { while (true) {} }', entry: 'double', cases }, 2000);
    await vi.advanceTimersByTimeAsync(1999);
    expect(workers[0]!.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({ status: 'timeout', message: 'Your code ran longer than 2 s — an infinite loop?', logs: [] });
    expect(workers[0]!.terminated).toBe(true);
  });

  it('keeps a spare worker loaded for the next run, and a fresh one per run', async () => {
    const workers: FakeWorker[] = [];
    const grader = new Grader({ createWorker: () => (workers.push(new FakeWorker('inline')), workers.at(-1)!) });
    grader.prewarm();
    expect(workers.length).toBe(1);
    await gradeExercise(double, double.solution, grader);
    // the prewarmed worker ran the code and was terminated; a new spare waits
    expect(workers.map((w) => w.terminated)).toEqual([true, false]);
    grader.dispose();
    expect(workers[1]!.terminated).toBe(true);
  });

  it('reports a worker that fails to load, and one that never loads', async () => {
    const crash = new Grader({ createWorker: () => new FakeWorker('crash'), keepSpare: false });
    expect(await gradeExercise(double, double.solution, crash)).toEqual({
      status: 'error',
      message: 'The grader could not start: SyntaxError in worker',
      logs: [],
    });
    vi.useFakeTimers();
    const stuck = new Grader({ createWorker: () => new FakeWorker('never-ready'), keepSpare: false, loadLimitMs: 5000 });
    const pending = gradeExercise(double, double.solution, stuck);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await pending).toMatchObject({ status: 'error', message: 'The grader could not start: it did not load within 5 s' });
  });
});

describe('defineExercise and prepareCases', () => {
  it('rejects a starter without the entry function and a case without expected or reference', () => {
    expect(() => defineExercise({ ...double, starter: 'function f() {}' })).toThrow("exercise 'double': 'starter' must be code that defines 'double'");
    expect(() => defineExercise({ ...double, reference: undefined })).toThrow("'cases[0].expected' must be given when there is no 'reference'");
  });
  it('labels cases and keeps given expected values', async () => {
    const def = defineExercise({ ...double, cases: [{ args: [1], expected: 2, label: 'one' }, { args: [5] }] });
    expect(await prepareCases(def)).toEqual([
      { args: [1], expected: 2, visible: false, label: 'one' },
      { args: [5], expected: 10, visible: false, label: 'case 2' },
    ]);
  });
});
