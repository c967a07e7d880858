import { compileLearnerCode } from '../../src/exercises/compile-learner-code';
import { type ExerciseDefinition, prepareCases } from '../../src/exercises/exercise';
import { runCases } from '../../src/exercises/run-cases';

/** Grades `code` against an exercise's own cases, as the page's grader does (minus the worker). */
export async function grade(ex: ExerciseDefinition, code: string) {
  return runCases(compileLearnerCode(code, ex.entry), await prepareCases(ex), undefined, { tolerance: ex.tolerance });
}
