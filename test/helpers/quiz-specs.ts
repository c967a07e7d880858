import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { decodeSpec } from '../../.vitepress/theme/selfcheck/blocks';
import { selfCheckMarkdown } from '../../.vitepress/theme/selfcheck/markdown';

/** One quiz item as the self-check plugin encodes it into the page. */
export interface QuizSpec {
  id: string;
  type: string;
  prompt?: string;
  answer?: number | number[];
  tolerance?: number;
  choices?: string[];
}

/**
 * The quiz items of a lesson's self-check.md, read through the real quiz
 * plugin (not parsed by hand), so a test that recomputes an answer checks what
 * the learner's page will grade. Keyed by quiz id; `prefix` keys them
 * `prefix/id` when several lessons share one map.
 */
export async function loadQuizSpecs(lessonFolder: string, into = new Map<string, QuizSpec>(), prefix = ''): Promise<Map<string, QuizSpec>> {
  const root = process.cwd();
  const { createMarkdownRenderer } = await import('vitepress');
  const md = await createMarkdownRenderer(root, { config: selfCheckMarkdown }, '/');
  const rel = `lessons/${lessonFolder}/self-check.md`;
  const html = md.render(readFileSync(join(root, rel), 'utf8'), { relativePath: rel, path: join(root, rel), cleanUrls: false });
  for (const m of html.matchAll(/<Quiz spec="([^"]*)" \/>/g)) {
    const spec = decodeSpec<QuizSpec>(m[1]!);
    into.set(prefix ? `${prefix}/${spec.id}` : spec.id, spec);
  }
  return into;
}

/** The quiz item `key`, or a failure that lists the ids there are. */
export function quizSpec(specs: Map<string, QuizSpec>, key: string): QuizSpec {
  const s = specs.get(key);
  if (!s) throw new Error(`no quiz ${key}; have ${[...specs.keys()].join(', ')}`);
  return s;
}

/** A numeric quiz accepts `value` under its own tolerance rule (the grader's: |answer - value| <= tolerance). */
export function expectNumericAnswer(specs: Map<string, QuizSpec>, key: string, value: number): void {
  const s = quizSpec(specs, key);
  expect(s.type).toBe('numeric');
  expect(Math.abs((s.answer as number) - value), `${key}: answer ${s.answer} vs computed ${value}`).toBeLessThanOrEqual((s.tolerance ?? 0) + 1e-9 * Math.abs(value));
}
