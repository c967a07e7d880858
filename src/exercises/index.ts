/**
 * The exercises room's front file: what the site and the lessons' exercise
 * files use (quiz checking, exercise definitions, the worker grader, the
 * progress store, share links). Everything here is small; the grader's worker
 * starts only when a learner first presses Check.
 */
export { defineExercise, type ExerciseCase, type ExerciseDefinition } from './exercise';
export { checkAnswer, type AnswerResult } from './check-answer';
export { fallbackQuizId, validateQuizItem, type QuizItem, type QuizResponse } from './quiz-item';
export { Grader, gradeExercise } from './grader';
export type { GradeOutcome } from './grader-protocol';
export {
  lessonKey,
  progressStore,
  markLessonVisited,
  recordExercise,
  recordQuiz,
  registerItems,
  getProgress,
  lessonStatus,
  subscribe,
  type LessonStatus,
  type ProgressData,
  type ProgressStore,
} from './progress-store';
export { inputsFromUrl, shareUrl } from './share-link';
