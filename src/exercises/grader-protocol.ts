/**
 * Messages between the page (grader.ts) and the grader's worker
 * (grader.worker.ts). Everything here is structured-clone data: no functions,
 * no tensors. The worker gets only the args, never the expected values, and
 * reports what the learner's function returned; the page decides what passed.
 * Learner code shares the worker's thread, so the page treats every reply as
 * untrusted and checks its shape (`readWorkerReply`).
 */
import type { Tolerance } from './compare';
import type { PreparedCase } from './exercise';
import type { CaseOutcome, CaseResult } from './run-cases';

/** page -> worker */
export interface GradeRequest {
  type: 'grade';
  code: string;
  entry: string;
  cases: { args: unknown[] }[];
  tensorArgs?: number[];
}

/** What `Grader.run` takes: the prepared cases (expected values stay on the page) and the tolerance to judge with. */
export interface GradeJob {
  code: string;
  entry: string;
  cases: PreparedCase[];
  tolerance?: Tolerance;
  tensorArgs?: number[];
}

/** worker -> page */
export type WorkerReply =
  /** posted once when the worker has loaded (tfjs included) and can take a request */
  | { type: 'ready' }
  /** one outcome per case, in the order of the request's cases */
  | { type: 'done'; outcomes: CaseOutcome[]; logs: string[] }
  /** the code did not parse, threw while loading, or did not define the function */
  | { type: 'error'; message: string; logs: string[] };

/** What a grading run ends with, as the UI shows it. */
export type GradeOutcome =
  | { status: 'done'; passed: boolean; results: CaseResult[]; logs: string[] }
  | { status: 'error'; message: string; logs: string[] }
  | { status: 'timeout'; message: string; logs: string[] };

/** The sentence the learner reads when a reply is not what the worker sends. */
export function malformedReplyMessage(why: string): string {
  return `The grader's answer could not be read (${why}), so this run does not count. Run your code again.`;
}

const MAX_TEXT = 10_000;

/**
 * Checks a reply from the worker against the protocol, for a request with
 * `caseCount` cases: a 'done' must carry exactly one outcome per case, each
 * `{ ok: true, got }` or `{ ok: false, error: string }` and nothing else, and
 * `logs` must be a list of strings. Returns the reply typed, or why it is
 * not acceptable.
 *
 * @example
 * readWorkerReply({ type: 'done', outcomes: [{ ok: true, got: 3 }], logs: [] }, 1).ok // true
 * readWorkerReply({ type: 'done', results: [{ passed: true }], logs: [] }, 1).ok       // false
 */
export function readWorkerReply(
  data: unknown,
  caseCount: number,
): { ok: true; reply: Exclude<WorkerReply, { type: 'ready' }> } | { ok: false; why: string } {
  const bad = (why: string) => ({ ok: false as const, why });
  if (!isRecord(data)) return bad('it is not a message object');
  const logs = data.logs;
  const logsOk = Array.isArray(logs) && logs.every((l) => typeof l === 'string' && l.length <= MAX_TEXT);
  if (data.type === 'error') {
    if (!hasExactly(data, ['type', 'message', 'logs'])) return bad('an error reply with unexpected fields');
    if (typeof data.message !== 'string' || data.message.length > MAX_TEXT) return bad('an error reply without a message');
    if (!logsOk) return bad('its console output is not a list of lines');
    return { ok: true, reply: { type: 'error', message: data.message, logs: logs as string[] } };
  }
  if (data.type !== 'done') return bad(`an unknown reply type ${JSON.stringify(String(data.type)).slice(0, 40)}`);
  if (!hasExactly(data, ['type', 'outcomes', 'logs'])) return bad('a result reply with unexpected fields');
  if (!logsOk) return bad('its console output is not a list of lines');
  const outcomes = data.outcomes;
  if (!Array.isArray(outcomes)) return bad('it has no list of case results');
  if (outcomes.length !== caseCount) return bad(`${outcomes.length} case results for ${caseCount} cases`);
  for (const [i, o] of outcomes.entries()) {
    const okShape = isRecord(o) && (o.ok === true ? hasExactly(o, ['ok', 'got']) : o.ok === false && hasExactly(o, ['ok', 'error']) && typeof o.error === 'string' && o.error.length <= MAX_TEXT);
    if (!okShape) return bad(`case ${i + 1}'s result has an unexpected shape`);
  }
  return { ok: true, reply: { type: 'done', outcomes: outcomes as CaseOutcome[], logs: logs as string[] } };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function hasExactly(o: Record<string, unknown>, keys: string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(o, k));
}
