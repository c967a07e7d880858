import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { defineExercise, prepareCases } from '../../src/exercises/exercise';
import { Grader, gradeExercise, timeoutMessage, type WorkerLike } from '../../src/exercises/grader';
import { malformedReplyMessage, readWorkerReply, type GradeRequest, type WorkerReply } from '../../src/exercises/grader-protocol';
import { runLearnerCases } from '../../src/exercises/run-cases';

/**
 * A stand-in for the module worker. 'inline' does what grader.worker.ts does,
 * in this thread; 'silent' loads and then never answers (what an infinite loop
 * looks like from the page); 'crash' fails while loading; 'forge' answers
 * every request with `forged` (what a worker whose lockdown had failed could
 * send). That learner code can neither post nor close the worker is checked
 * on the real worker, in test/browser/selfcheck.test.ts.
 */
class FakeWorker implements WorkerLike {
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: { message?: string }) => void) | null = null;
  terminated = false;
  received: unknown[] = [];
  forged: unknown[] = [];
  constructor(private mode: 'inline' | 'silent' | 'crash' | 'never-ready' | 'forge') {
    queueMicrotask(() => {
      if (mode === 'crash') this.onerror?.({ message: 'SyntaxError in worker' });
      else if (mode !== 'never-ready') this.reply({ type: 'ready' });
    });
  }
  reply(r: WorkerReply | unknown) {
    if (!this.terminated) this.onmessage?.({ data: r });
  }
  postMessage(m: unknown) {
    this.received.push(m);
    if (this.mode === 'forge') {
      queueMicrotask(() => this.forged.forEach((f) => this.reply(f)));
      return;
    }
    if (this.mode !== 'inline') return;
    const req = m as GradeRequest;
    void (async () => {
      try {
        const fn = compileLearnerCode(req.code, req.entry);
        this.reply({ type: 'done', outcomes: await runLearnerCases(fn, req.cases), logs: [] });
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
    // the worker got the args only: the expected values (2*2 = 4, 2*-1.5 = -3) stay on the page
    const sent = workers[0]!.received[0] as GradeRequest;
    expect(sent.cases).toEqual([{ args: [2] }, { args: [-1.5] }]);
    expect(JSON.stringify(sent)).not.toMatch(/expected|-3\b/);
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

describe('readWorkerReply: the page checks what the worker sends', () => {
  it('accepts one well-formed outcome per case, and an error reply', () => {
    const done = { type: 'done', outcomes: [{ ok: true, got: 4 }, { ok: false, error: 'threw Error: x' }], logs: ['hi'] };
    expect(readWorkerReply(done, 2)).toEqual({ ok: true, reply: done });
    // a missing return comes back as got: undefined, which is still an outcome
    expect(readWorkerReply({ type: 'done', outcomes: [{ ok: true, got: undefined }], logs: [] }, 1).ok).toBe(true);
    expect(readWorkerReply({ type: 'error', message: 'does not parse', logs: [] }, 3).ok).toBe(true);
  });
  it.each([
    ['not an object', 'done', /not a message object/],
    ['null', null, /not a message object/],
    ['an unknown type', { type: 'passed', logs: [] }, /unknown reply type/],
    ['the old verdict shape', { type: 'done', results: [{ passed: true }, { passed: true }], logs: [] }, /unexpected fields/],
    ['a verdict next to the outcomes', { type: 'done', outcomes: [{ ok: true, got: 4 }, { ok: true, got: -3 }], logs: [], passed: true }, /unexpected fields/],
    ['too few outcomes', { type: 'done', outcomes: [{ ok: true, got: 4 }], logs: [] }, /1 case results for 2 cases/],
    ['too many outcomes', { type: 'done', outcomes: [{ ok: true, got: 4 }, { ok: true, got: 4 }, { ok: true, got: 4 }], logs: [] }, /3 case results for 2 cases/],
    ['no outcome list', { type: 'done', outcomes: 'all', logs: [] }, /no list of case results/],
    ['an outcome without got', { type: 'done', outcomes: [{ ok: true }, { ok: true, got: 1 }], logs: [] }, /case 1's result/],
    ['an outcome that claims to have passed', { type: 'done', outcomes: [{ ok: true, got: 4 }, { ok: true, got: 1, passed: true }], logs: [] }, /case 2's result/],
    ['a failure without a sentence', { type: 'done', outcomes: [{ ok: false, error: 3 }, { ok: true, got: 1 }], logs: [] }, /case 1's result/],
    ['ok that is not a boolean', { type: 'done', outcomes: [{ ok: 'yes', got: 4 }, { ok: true, got: 1 }], logs: [] }, /case 1's result/],
    ['logs that are not lines', { type: 'done', outcomes: [{ ok: true, got: 4 }, { ok: true, got: 1 }], logs: [{}] }, /console output/],
    ['an error without a message', { type: 'error', logs: [] }, /unexpected fields|without a message/],
  ])('rejects %s', (_what, data, why) => {
    const r = readWorkerReply(data, 2);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.why).toMatch(why);
  });
});

describe('Grader with a worker that sends forged or malformed replies', () => {
  async function runWith(forged: unknown[]) {
    const grader = new Grader({
      createWorker: () => {
        const w = new FakeWorker('forge');
        w.forged = forged;
        return w;
      },
      keepSpare: false,
    });
    return gradeExercise(double, double.starter, grader);
  }

  it('a forged verdict in the old shape is a clear failure, not a pass', async () => {
    const outcome = await runWith([{ type: 'done', results: [{ label: 'a', visible: true, passed: true, message: 'passed' }], logs: [] }]);
    expect(outcome.status).toBe('error');
    expect(outcome.status === 'error' && outcome.message).toBe(malformedReplyMessage('a result reply with unexpected fields'));
  });

  it('a reply with the wrong number of cases fails', async () => {
    const outcome = await runWith([{ type: 'done', outcomes: [{ ok: true, got: 4 }], logs: [] }]);
    expect(outcome).toEqual({ status: 'error', message: malformedReplyMessage('1 case results for 2 cases'), logs: [] });
  });

  it('well-formed outcomes are judged on the page: wrong values do not pass whatever the worker says', async () => {
    // right for case 1 (4), wrong for the hidden case 2 (expected -3)
    const outcome = await runWith([{ type: 'done', outcomes: [{ ok: true, got: 4 }, { ok: true, got: 0 }], logs: [] }]);
    expect(outcome.status).toBe('done');
    expect(outcome.status === 'done' && outcome.passed).toBe(false);
    expect(outcome.status === 'done' && outcome.results.map((r) => r.passed)).toEqual([true, false]);
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
