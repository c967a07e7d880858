/**
 * VitePress data loader: every lesson's url, key and title, for the progress
 * page. Runs at build time (and in dev on change); the page gets plain JSON.
 */
import { createContentLoader } from 'vitepress';
import { lessonKey } from '../../../src/exercises/index';

export interface LessonInfo {
  /** site URL without the base, e.g. '/lessons/06-boxes-iou-nms/' */
  url: string;
  /** progress key, e.g. 'lessons/06-boxes-iou-nms' */
  key: string;
  title: string;
}

declare const data: LessonInfo[];
export { data };

export default createContentLoader('lessons/*/index.md', {
  transform(pages): LessonInfo[] {
    return pages
      .map((p) => ({ url: p.url, key: lessonKey(p.url), title: String(p.frontmatter.title ?? lessonKey(p.url).replace(/^lessons\//, '')) }))
      .sort((a, b) => a.key.localeCompare(b.key));
  },
});
