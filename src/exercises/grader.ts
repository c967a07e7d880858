/**
 * The page side of code-exercise grading. Learner code runs only in a module
 * Worker (grader.worker.ts): the page prepares the expected values with the
 * exercise's trusted reference, posts code + cases to the worker, and starts
 * a clock. If the worker has not answered when the time limit passes it is
 * terminated, so an infinite loop costs the learner a message, never a
 * frozen page. A fresh worker serves each run (no state leaks between runs);
 * one spare is loaded ahead so Run does not wait for tfjs to load.
 */
import { DEFAULT_TIME_LIMIT_MS, prepareCases, type ExerciseDefinition } from './exercise';
import { malformedReplyMessage, readWorkerReply, type GradeJob, type GradeOutcome, type GradeRequest } from './grader-protocol';
import { judgeCases } from './run-cases';

/** The part of `Worker` the grader uses; tests pass a fake. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: { message?: string } & object) => void) | null;
}

export interface GraderOptions {
  createWorker?: () => WorkerLike;
  /** how long a new worker may take to load (tfjs included) before giving up, ms (default 60000) */
  loadLimitMs?: number;
  /** keep one loaded worker waiting for the next run (default true) */
  keepSpare?: boolean;
}

/** The message shown when learner code exceeds its time limit. */
export function timeoutMessage(limitMs: number): string {
  const s = Number((limitMs / 1000).toPrecision(3));
  return `Your code ran longer than ${s} s — an infinite loop?`;
}

/** The real worker; only ever called in the browser (never during SSR). */
export function createGraderWorker(): WorkerLike {
  return new Worker(new URL('./grader.worker.ts', import.meta.url), { type: 'module', name: 'exercise-grader' }) as unknown as WorkerLike;
}

interface Spawned {
  worker: WorkerLike;
  ready: Promise<void>;
  /** the handler for messages after 'ready' (unchecked: learner code shares the worker); set by run() */
  onReply: (data: unknown) => void;
  onCrash: (message: string) => void;
}

export class Grader {
  private spare: Spawned | null = null;
  private readonly createWorker: () => WorkerLike;
  private readonly loadLimitMs: number;
  private readonly keepSpare: boolean;

  constructor(opts: GraderOptions = {}) {
    this.createWorker = opts.createWorker ?? createGraderWorker;
    this.loadLimitMs = opts.loadLimitMs ?? 60_000;
    this.keepSpare = opts.keepSpare ?? true;
  }

  /** Starts loading a worker now so the next run starts at once. */
  prewarm(): void {
    if (!this.spare) this.spare = this.spawn();
  }

  /**
   * Runs `code` against prepared cases in a worker, with a time limit that
   * starts when the worker receives the code. The worker sees only the args;
   * its reply is checked and judged here against the expected values, so a
   * malformed or forged reply is a failed run, never a pass.
   *
   * @example
   * const grader = new Grader();
   * const outcome = await grader.run({ code, entry: 'iou', cases: await prepareCases(def) }, 3000);
   * if (outcome.status === 'timeout') show(outcome.message);
   */
  async run(request: GradeJob, timeLimitMs = DEFAULT_TIME_LIMIT_MS): Promise<GradeOutcome> {
    const job = this.spare ?? this.spawn();
    this.spare = null;
    try {
      try {
        await job.ready;
      } catch (e) {
        return { status: 'error', message: `The grader could not start: ${(e as Error).message}`, logs: [] };
      }
      return await new Promise<GradeOutcome>((resolve) => {
        const timer = setTimeout(() => resolve({ status: 'timeout', message: timeoutMessage(timeLimitMs), logs: [] }), timeLimitMs);
        // The first reply or the timer settles the run; a promise ignores whatever resolves it later.
        const finish = (o: GradeOutcome) => {
          clearTimeout(timer);
          resolve(o);
        };
        job.onReply = (data) => {
          const read = readWorkerReply(data, request.cases.length);
          if (!read.ok) return finish({ status: 'error', message: malformedReplyMessage(read.why), logs: [] });
          const reply = read.reply;
          if (reply.type === 'error') return finish({ status: 'error', message: reply.message, logs: reply.logs });
          const results = judgeCases(request.cases, reply.outcomes, request.tolerance);
          finish({ status: 'done', passed: results.length > 0 && results.every((r) => r.passed), results, logs: reply.logs });
        };
        job.onCrash = (message) => finish({ status: 'error', message: `Your code stopped the grader: ${message}`, logs: [] });
        const msg: GradeRequest = {
          type: 'grade',
          code: request.code,
          entry: request.entry,
          cases: request.cases.map((c) => ({ args: c.args })),
          ...(request.tensorArgs ? { tensorArgs: request.tensorArgs } : {}),
        };
        job.worker.postMessage(msg);
      });
    } finally {
      // Whatever happened (timeout included), this worker is done: timers or loops the learner left behind die with it.
      job.worker.terminate();
      if (this.keepSpare) this.prewarm();
    }
  }

  /** Terminates the spare worker (call on unmount). */
  dispose(): void {
    this.spare?.worker.terminate();
    this.spare = null;
  }

  private spawn(): Spawned {
    const worker = this.createWorker();
    const job: Spawned = { worker, ready: Promise.resolve(), onReply: () => {}, onCrash: () => {} };
    let isReady = false;
    job.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`it did not load within ${this.loadLimitMs / 1000} s`)), this.loadLimitMs);
      worker.onmessage = (ev) => {
        const data = ev.data as { type?: unknown } | null;
        if (!isReady && data?.type === 'ready') {
          isReady = true;
          clearTimeout(timer);
          resolve();
        } else if (isReady) job.onReply(data);
      };
      worker.onerror = (ev) => {
        const message = ev?.message ?? 'the worker failed';
        if (!isReady) {
          clearTimeout(timer);
          reject(new Error(message));
        } else job.onCrash(message);
      };
    });
    // A spare that fails to load is reported when it is used; avoid an unhandled rejection until then.
    job.ready.catch(() => {});
    return job;
  }
}

/**
 * Grades learner code for one exercise: resolves expected values with the
 * reference, then runs the code in a worker under the exercise's time limit.
 *
 * @example
 * const outcome = await gradeExercise(iouExercise, editor.code, grader);
 */
export async function gradeExercise(def: ExerciseDefinition, code: string, grader: Grader): Promise<GradeOutcome> {
  const cases = await prepareCases(def);
  return grader.run(
    { code, entry: def.entry, cases, ...(def.tolerance ? { tolerance: def.tolerance } : {}), ...(def.tensorArgs ? { tensorArgs: def.tensorArgs } : {}) },
    def.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
  );
}
