import { describe, expect, it } from 'vitest';
import { decodeSpec, parseExerciseBlock, renderQuizBlock, resolveModulePath } from '../../.vitepress/theme/selfcheck/blocks';
import { selfCheckMarkdown } from '../../.vitepress/theme/selfcheck/markdown';
import type { QuizItem } from '../../src/exercises/quiz-item';

// A stand-in renderer that marks what it rendered, so the test sees which fields went through Markdown.
const fakeMd = { block: (s: string) => `<p>${s}</p>`, inline: (s: string) => `<i>${s}</i>` };
const specs = (html: string) => [...html.matchAll(/<Quiz spec="([^"]*)" \/>/g)].map((m) => decodeSpec<QuizItem>(m[1]!));

describe('renderQuizBlock', () => {
  it('turns a YAML item into a <Quiz> tag with the checked item and its HTML', () => {
    const html = renderQuizBlock('type: single\nprompt: IoU of a box with *itself*?\nchoices: [0, 0.5, 1]\nanswer: 2\nexplain: inter = union', fakeMd, () => 'quiz-1', 'p.md');
    expect(html).toMatch(/^<Quiz spec="[A-Za-z0-9%_.!~*'()-]+" \/>\n$/); // nothing HTML or Vue would interpret
    expect(specs(html)).toEqual([
      {
        id: 'quiz-1',
        type: 'single',
        prompt: 'IoU of a box with *itself*?',
        explain: 'inter = union',
        choices: ['0', '0.5', '1'],
        answer: 2,
        html: { prompt: '<p>IoU of a box with *itself*?</p>', explain: '<p>inter = union</p>', choices: ['<i>0</i>', '<i>0.5</i>', '<i>1</i>'] },
      },
    ]);
  });
  it('accepts JSON and a list of items, giving ids in order', () => {
    let n = 0;
    const html = renderQuizBlock('[{"type":"text","prompt":"a","answers":["x"]},{"id":"own","type":"numeric","prompt":"b","answer":3}]', fakeMd, () => `quiz-${++n}`, 'p.md');
    expect(specs(html).map((s) => s.id)).toEqual(['quiz-1', 'own']);
  });
  it('escapes quotes, angle brackets and mustaches from the text', () => {
    const html = renderQuizBlock('type: text\nprompt: \'"<b>{{ x }}</b>"\'\nanswers: ["a"]', fakeMd, () => 'q', 'p.md');
    const attr = /spec="([^"]*)"/.exec(html)![1]!;
    expect(attr).not.toMatch(/[<>{}"&]/);
    expect(specs(html)[0]!.prompt).toBe('"<b>{{ x }}</b>"');
  });
  it('fails with the page, line and field on a bad item', () => {
    expect(() => renderQuizBlock('type: single\nprompt: p\nchoices: [a, b]\nanswer: 5', fakeMd, () => 'quiz-3', 'lessons/x/index.md line 12')).toThrow(
      "lessons/x/index.md line 12: quiz 'quiz-3': 'answer' must be a 0-based choice index in [0, 1], got 5",
    );
    expect(() => renderQuizBlock('type: [', fakeMd, () => 'q', 'p.md')).toThrow(/not valid YAML\/JSON/);
  });
});

describe('exercise blocks', () => {
  it('resolves the module against the page folder', () => {
    expect(resolveModulePath('lessons/06-boxes-iou-nms/index.md', './exercises/iou.ts')).toBe('/lessons/06-boxes-iou-nms/exercises/iou.ts');
    expect(parseExerciseBlock('id: iou\nmodule: ./exercises/iou.ts', 'lessons/06-boxes-iou-nms/index.md')).toEqual({
      id: 'iou',
      module: '/lessons/06-boxes-iou-nms/exercises/iou.ts',
    });
  });
  it('refuses modules outside a lesson exercises folder and odd ids', () => {
    expect(() => parseExerciseBlock('id: x\nmodule: ../../src/core/nms.ts', 'lessons/06-a/index.md')).toThrow(/must be in the lesson's exercises\/ folder/);
    expect(() => parseExerciseBlock('id: x\nmodule: https://evil.example/x.ts', 'lessons/06-a/index.md')).toThrow(/relative path/);
    expect(() => parseExerciseBlock('id: "a b"\nmodule: ./exercises/x.ts', 'lessons/06-a/index.md')).toThrow(/'id'/);
  });
});

describe('selfCheckMarkdown in VitePress markdown-it', () => {
  it('renders quiz and exercise fences, numbers quiz ids per page, and leaves other fences alone', async () => {
    const { createMarkdownRenderer } = await import('vitepress');
    const md = await createMarkdownRenderer(process.cwd(), { config: selfCheckMarkdown }, '/');
    const src = ['# T', '```quiz', 'type: numeric', 'prompt: "Output size for $n=32$?"', 'answer: 16', '```', '', '```quiz', 'type: text', 'prompt: b', 'answers: [x]', '```', '', '```exercise', 'id: iou', 'module: ./exercises/iou.ts', '```', '', '```js', 'const a = 1;', '```'].join('\n');
    const env = { relativePath: 'lessons/06-boxes-iou-nms/index.md', path: `${process.cwd()}/lessons/06-boxes-iou-nms/index.md`, cleanUrls: false };
    const html = md.render(src, env);
    expect(specs(html).map((s) => s.id)).toEqual(['quiz-1', 'quiz-2']);
    expect(html).toContain('<CodeExercise module="/lessons/06-boxes-iou-nms/exercises/iou.ts" exercise-id="iou" />');
    expect(html).toContain('language-js'); // VitePress's own fence still handles js
    // a second page starts counting again
    const html2 = md.render('```quiz\ntype: text\nprompt: c\nanswers: [y]\n```', { relativePath: 'lessons/01-convolution/index.md', path: '', cleanUrls: false });
    expect(specs(html2).map((s) => s.id)).toEqual(['quiz-1']);
    // a missing module file fails at build time
    expect(() => md.render('```exercise\nid: nope\nmodule: ./exercises/nope.ts\n```', env)).toThrow(/no file \/lessons\/06-boxes-iou-nms\/exercises\/nope.ts/);
  });
});
