import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the tests find in `lessons/` by themselves, so a lesson folder copied in
 * is graded and crawled with no list to edit: the same rule the site uses
 * (`.vitepress/lessons-index.ts` for the sidebar and course map, the
 * `import.meta.glob('/lessons/*\/exercises/*.ts')` of the exercise loader).
 */

/** Lesson folder names (`NN-slug`) under `root/lessons` that have an index.md. */
export function lessonFolders(root: string): string[] {
  const dir = join(root, 'lessons');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'index.md')))
    .map((e) => e.name)
    .sort();
}

/** Every `lessons/*\/exercises/*.ts` under `root`, as absolute paths. */
export function exerciseFiles(root: string): string[] {
  return lessonFolders(root).flatMap((name) => {
    const dir = join(root, 'lessons', name, 'exercises');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => join(dir, f));
  });
}

/** The built site's path of every lesson page, e.g. '/lessons/06-boxes-iou-nms/index.html'. */
export function lessonPages(root: string): string[] {
  return lessonFolders(root).map((name) => `/lessons/${name}/index.html`);
}
