/// <reference lib="webworker" />
/**
 * The grader's worker: the only place learner code runs. It has no DOM; the
 * storage APIs a worker would otherwise share with the page (IndexedDB, Cache
 * Storage, navigator.storage) are removed before any learner code runs, and
 * the worker is terminated after every run. tfjs is loaded here on the CPU
 * backend so learner code can use `tf`.
 */
import * as tf from '@tensorflow/tfjs';
import { compileLearnerCode } from './compile-learner-code';
import type { GradeRequest, WorkerReply } from './grader-protocol';
import { runCases } from './run-cases';
import { lockDownScope } from './worker-lockdown';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: WorkerReply) => self.postMessage(m);
const logs: string[] = [];
const MAX_LOGS = 100;

function captureConsole(): void {
  const keep = (...a: unknown[]) => {
    if (logs.length < MAX_LOGS) logs.push(a.map((x) => (typeof x === 'string' ? x : safeString(x))).join(' '));
  };
  for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) console[k] = keep;
}

function safeString(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  lockDownScope(self as unknown as Record<string, unknown>);
  captureConsole();
  // One request per worker: the page terminates it after each run.
  let busy = false;
  self.onmessage = async (ev: MessageEvent<GradeRequest>) => {
    const req = ev.data;
    if (req?.type !== 'grade' || busy) return;
    busy = true;
    let fn;
    try {
      fn = compileLearnerCode(req.code, req.entry, tf);
    } catch (e) {
      post({ type: 'error', message: (e as Error).message, logs });
      return;
    }
    const results = await runCases(fn, req.cases, undefined, { tolerance: req.tolerance, tensorArgs: req.tensorArgs, tf });
    post({ type: 'done', results, logs });
  };
  post({ type: 'ready' });
}

main().catch((e) => {
  // Thrown from a task (not a rejected promise) so it reaches the page as the worker's error event.
  setTimeout(() => {
    throw e;
  });
});
