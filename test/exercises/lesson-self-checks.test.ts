import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSpec } from '../../.vitepress/theme/selfcheck/blocks';
import { selfCheckMarkdown } from '../../.vitepress/theme/selfcheck/markdown';

/**
 * The course's promise: every lesson that exists has a self-check of at least
 * 4 quiz items and at least 1 code exercise, and its page shows it. Rendered
 * with the real plugin, so a block that holds a list counts every item in it.
 */
const root = process.cwd();
const lessons = readdirSync(join(root, 'lessons'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name) && existsSync(join(root, 'lessons', d.name, 'index.md')))
  .map((d) => d.name);

describe('every lesson has its self-check', () => {
  it('finds the lessons', () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  it.each(lessons)('%s: at least 4 quiz items and 1 exercise, included in its page', async (name) => {
    const { createMarkdownRenderer } = await import('vitepress');
    const md = await createMarkdownRenderer(root, { config: selfCheckMarkdown }, '/');
    const index = readFileSync(join(root, 'lessons', name, 'index.md'), 'utf8');
    const selfCheckPath = join(root, 'lessons', name, 'self-check.md');
    const included = /<!--\s*@include:\s*\.\/self-check\.md\s*-->/.test(index);
    const source = included && existsSync(selfCheckPath) ? readFileSync(selfCheckPath, 'utf8') : index;
    const rel = `lessons/${name}/${included ? 'self-check.md' : 'index.md'}`;
    const html = md.render(source, { relativePath: rel, path: join(root, rel), cleanUrls: false });
    const quizzes = [...html.matchAll(/<Quiz spec="([^"]*)" \/>/g)].map((m) => decodeSpec<{ id: string }>(m[1]!).id);
    const exercises = [...html.matchAll(/<CodeExercise [^>]*exercise-id="([^"]+)"/g)].map((m) => m[1]);
    expect(quizzes.length, `${name} quiz items`).toBeGreaterThanOrEqual(4);
    expect(new Set(quizzes).size, `${name} quiz ids are unique`).toBe(quizzes.length);
    expect(exercises.length, `${name} exercises`).toBeGreaterThanOrEqual(1);
  });
});
