/// <reference lib="webworker" />
/**
 * The grader's worker: the only place learner code runs. It has no DOM;
 * before any learner code runs, `lockDownScope` removes what would let that
 * code reach the page's storage, the network, other workers or the page
 * itself (postMessage, close), and the worker is terminated after every run.
 * tfjs is loaded here on the CPU backend so learner code can use `tf`. The
 * worker gets only the args and reports what the function returned; the
 * page, which alone holds the expected values, decides what passed.
 */
import * as tf from '@tensorflow/tfjs';
import { compileLearnerCode } from './compile-learner-code';
import type { GradeRequest, WorkerReply } from './grader-protocol';
import { runLearnerCases } from './run-cases';
import { lockDownScope } from './worker-lockdown';

declare const self: DedicatedWorkerGlobalScope;

// Taken before the lockdown removes postMessage from the scope: learner code cannot reach this closure.
const postToPage = self.postMessage.bind(self) as (m: WorkerReply) => void;
const logs: string[] = [];
const MAX_LOGS = 100;
const MAX_LOG_CHARS = 2000;

function captureConsole(): void {
  const keep = (...a: unknown[]) => {
    if (logs.length < MAX_LOGS) logs.push(a.map((x) => (typeof x === 'string' ? x : safeString(x))).join(' ').slice(0, MAX_LOG_CHARS));
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

/** Posts a reply; a reply that cannot be cloned (the learner left something odd in the logs) becomes an error reply. */
function reply(m: WorkerReply): void {
  try {
    postToPage(m);
  } catch (e) {
    postToPage({ type: 'error', message: `Your code's results could not be sent to the page: ${(e as Error).message}`, logs: [] });
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
      reply({ type: 'error', message: (e as Error).message, logs: [...logs] });
      return;
    }
    const outcomes = await runLearnerCases(fn, req.cases, { tensorArgs: req.tensorArgs, tf });
    reply({ type: 'done', outcomes, logs: [...logs] });
  };
  reply({ type: 'ready' });
}

main().catch((e) => {
  // Thrown from a task (not a rejected promise) so it reaches the page as the worker's error event.
  setTimeout(() => {
    throw e;
  });
});
