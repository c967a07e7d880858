import { fileURLToPath } from 'node:url';
import { lessonIndex, type LessonEntry } from '../lessons-index';

declare const data: LessonEntry[];
export { data };

/** Build-time data: the course map from the lessons' frontmatter and the outline. */
export default {
  watch: ['../../lessons/*/index.md', '../../lessons/outline.ts'],
  load(): LessonEntry[] {
    return lessonIndex(fileURLToPath(new URL('../..', import.meta.url)));
  },
};
