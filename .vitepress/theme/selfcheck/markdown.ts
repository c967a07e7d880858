/**
 * The markdown-it plugin for self-checks: ```quiz blocks become <Quiz>
 * components and ```exercise blocks become <CodeExercise> components. Other
 * fences go to the previous fence rule untouched, so this composes with the
 * cell plugin and VitePress's highlighter in any order.
 *
 * Usage in .vitepress/config.ts: `markdown: { config: (md) => selfCheckMarkdown(md) }`. `md` is
 * VitePress's markdown-it (its bundled type, `MarkdownRenderer`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { parseExerciseBlock, renderExerciseTag, renderQuizBlock, SelfCheckBlockError } from './blocks';

interface Env {
  relativePath?: string;
  path?: string;
  /** per-page counter for quiz ids; lives on the page's env so ids restart on every page */
  __selfCheckQuizCount?: number;
}

export function selfCheckMarkdown(md: MarkdownIt): void {
  const previous = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, options, env: Env, self) => {
    const token = tokens[idx]!;
    const lang = token.info.trim().split(/\s+/)[0];
    const where = env?.relativePath ?? '(page)';
    if (lang === 'quiz') {
      const render = {
        // A copy of env: nested renders must not add the quiz's text to the page's headers.
        block: (s: string) => md.render(s, { ...env, headers: [] }),
        inline: (s: string) => md.renderInline(s, { ...env }),
      };
      const nextId = () => `quiz-${(env.__selfCheckQuizCount = (env.__selfCheckQuizCount ?? 0) + 1)}`;
      return renderQuizBlock(token.content, render, nextId, `${where} line ${(token.map?.[0] ?? 0) + 1}`);
    }
    if (lang === 'exercise') {
      const block = parseExerciseBlock(token.content, where);
      if (env?.path) {
        // env.path is the page's file: check the module is there so a typo fails the build, not the learner.
        const root = env.path.slice(0, env.path.length - where.length);
        const file = join(root, block.module);
        if (where.endsWith('.md') && root && !existsSync(file)) {
          throw new SelfCheckBlockError(`${where}: exercise '${block.id}': no file ${block.module} (looked in ${dirname(file)})`);
        }
      }
      return renderExerciseTag(block);
    }
    return previous ? previous(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
}
