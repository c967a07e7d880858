/**
 * The self-check theme components. `installSelfCheck(app)` registers them
 * globally; the theme's enhanceApp calls it. Every component renders during
 * SSR without touching window, document, storage or Worker; those are used in
 * onMounted only.
 *
 * Components:
 * - <Quiz spec="..."> (from a ```quiz block) or <Quiz :item="{...}">
 * - <CodeExercise module="/lessons/<lesson>/exercises/<id>.ts" exercise-id="<id>"> (from a ```exercise block)
 * - <ProgressPage> (progress.md)
 * - <LessonStatusMark path="/lessons/<lesson>/"> (a lesson's mark for the course map)
 * - <ProgressNotice> (the store's reset/migration message; the layout mounts it on every page)
 */
import type { App } from 'vue';
import CodeExercise from './CodeExercise.vue';
import LessonStatusMark from './LessonStatusMark.vue';
import ProgressNotice from './ProgressNotice.vue';
import ProgressPage from './ProgressPage.vue';
import Quiz from './Quiz.vue';
import './selfcheck.css';

export function installSelfCheck(app: App): void {
  app.component('Quiz', Quiz);
  app.component('CodeExercise', CodeExercise);
  app.component('ProgressPage', ProgressPage);
  app.component('LessonStatusMark', LessonStatusMark);
  app.component('ProgressNotice', ProgressNotice);
}

export { CodeExercise, LessonStatusMark, ProgressNotice, ProgressPage, Quiz };
