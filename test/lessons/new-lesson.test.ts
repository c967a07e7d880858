import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonIndex } from '../../.vitepress/lessons-index';
import type { ExerciseDefinition } from '../../src/exercises/exercise';
import { exerciseFiles, lessonPages } from './discover';
import { grade } from './grade';

/**
 * The new-lesson story: a contributor copies one lesson folder, edits only
 * files inside the copy (its frontmatter says which lesson it is), and the
 * lesson is in the sidebar and course map, its exercises are graded and its
 * page is on the browser crawl's list, with no other file edited.
 *
 * The copy lives in a temporary checkout: `lessons/` copied there, `src` and
 * `node_modules` linked to this repository's, so the copied exercises'
 * `../../../src/...` imports resolve as they do in the real tree.
 */
const repo = process.cwd();
let root = '';
// The copy takes a place in the outline that no lesson folder fills yet, so the test keeps working as lessons are written.
const order = lessonIndex(repo).find((e) => !e.link)!.order;
const slug = `${String(order).padStart(2, '0')}-copied-lesson`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vn-new-lesson-'));
  cpSync(join(repo, 'lessons'), join(root, 'lessons'), { recursive: true });
  symlinkSync(join(repo, 'src'), join(root, 'src'), 'dir');
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  // The contributor's whole change: copy Lesson 6's folder into a free place and retitle it in its own frontmatter.
  const copy = join(root, 'lessons', slug);
  cpSync(join(root, 'lessons', '06-boxes-iou-nms'), copy, { recursive: true });
  const page = join(copy, 'index.md');
  writeFileSync(page, readFileSync(page, 'utf8').replace(/^title: .*$/m, 'title: A copied lesson').replace(/^order: 6$/m, `order: ${order}`));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a lesson folder copied in, nothing else edited', () => {
  it('is in the sidebar and the course map (lessonIndex builds both) with a link, no longer "coming soon"', () => {
    const entry = lessonIndex(root).find((e) => e.order === order);
    expect(entry).toMatchObject({ title: 'A copied lesson', link: `/lessons/${slug}/` });
    // the lesson it was copied from keeps its own entry
    expect(lessonIndex(root).find((e) => e.order === 6)?.link).toBe('/lessons/06-boxes-iou-nms/');
  });

  it('its exercises are found and graded: solution passes, starter fails', async () => {
    const copied = exerciseFiles(root).filter((f) => f.includes(slug));
    expect(copied.map((f) => f.split('/').pop())).toEqual(['box-encoding.ts', 'iou.ts', 'nms.ts']);
    for (const file of copied) {
      const ex = ((await import(pathToFileURL(file).href)) as { default: ExerciseDefinition }).default;
      expect((await grade(ex, ex.solution)).filter((r) => !r.passed), file).toEqual([]);
      expect((await grade(ex, ex.starter)).some((r) => !r.passed), file).toBe(true);
    }
  });

  it('its page is on the browser crawl (test/browser/lessons.test.ts visits lessonPages)', () => {
    expect(lessonPages(root)).toContain(`/lessons/${slug}/index.html`);
    expect(lessonPages(root)).toEqual([...lessonPages(repo), `/lessons/${slug}/index.html`].sort());
  });
});
