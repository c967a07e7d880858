/**
 * Messages between the page (grader.ts) and the grader's worker
 * (grader.worker.ts). Everything here is structured-clone data: no functions,
 * no tensors.
 */
import type { Tolerance } from './compare';
import type { PreparedCase } from './exercise';
import type { CaseResult } from './run-cases';

/** page -> worker */
export interface GradeRequest {
  type: 'grade';
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
  | { type: 'done'; results: CaseResult[]; logs: string[] }
  /** the code did not parse, threw while loading, or did not define the function */
  | { type: 'error'; message: string; logs: string[] };

/** What a grading run ends with, as the UI shows it. */
export type GradeOutcome =
  | { status: 'done'; passed: boolean; results: CaseResult[]; logs: string[] }
  | { status: 'error'; message: string; logs: string[] }
  | { status: 'timeout'; message: string; logs: string[] };
