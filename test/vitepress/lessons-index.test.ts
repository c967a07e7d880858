import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { lessonIndex, type LessonEntry } from '../../.vitepress/lessons-index';
import { OUTLINE } from '../../lessons/outline';

// The course map and the sidebar are both built from lessonIndex; a lesson
// lost, doubled or stuck at "coming soon" there is invisible to every other test.

/** The sidebar and CourseMap.vue show an entry without a link as "coming soon". */
const comingSoon = (e: LessonEntry) => e.link === undefined;

function expectOutlineOnceInOrder(entries: LessonEntry[]) {
  expect(OUTLINE).toHaveLength(17);
  for (const o of OUTLINE) expect(entries.filter((e) => e.order === o.order), `lesson ${o.order}`).toHaveLength(1);
  const orders = entries.map((e) => e.order);
  expect(orders).toEqual([...orders].sort((a, b) => a - b));
}

describe('lessonIndex on the real lessons/ folder', () => {
  const entries = lessonIndex(process.cwd());
  const written = readdirSync('lessons')
    .filter((name) => existsSync(join('lessons', name, 'index.md')))
    .map((name) => {
      const text = readFileSync(join('lessons', name, 'index.md'), 'utf8');
      const fm = yaml.load(/^---\r?\n([\s\S]*?)\r?\n---/.exec(text)![1]) as Record<string, unknown>;
      return { name, fm };
    });

  it('lists each of the 17 outline lessons once, in order', () => {
    expectOutlineOnceInOrder(entries);
  });

  it('gives each written lesson its frontmatter and a link, not "coming soon"', () => {
    // Guards the loop below against passing vacuously if lessons/ were not found.
    expect(written.map((w) => w.name)).toContain('01-convolution');
    for (const { name, fm } of written) {
      const entry = entries.find((e) => e.order === fm.order);
      expect(entry, name).toBeDefined();
      expect(entry).toMatchObject({
        title: fm.title,
        part: fm.part,
        minutes: fm.minutes,
        objectives: fm.objectives,
        summary: fm.description,
        link: `/lessons/${name}/`,
      });
      expect((fm.objectives as string[]).length, `${name} objectives`).toBeGreaterThan(0);
    }
  });

  it('shows every unwritten outline lesson as "coming soon" with its outline title', () => {
    const writtenOrders = new Set(written.map((w) => w.fm.order));
    const unwritten = OUTLINE.filter((o) => !writtenOrders.has(o.order));
    expect(unwritten.length).toBeGreaterThan(0);
    for (const o of unwritten) {
      const entry = entries.find((e) => e.order === o.order)!;
      expect(comingSoon(entry), `lesson ${o.order}`).toBe(true);
      expect(entry).toMatchObject({ title: o.title, part: o.part, summary: o.summary, objectives: [] });
    }
  });
});

describe('lessonIndex on a scratch course folder', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function scratch(lessons: Record<string, string | null>): string {
    root = mkdtempSync(join(tmpdir(), 'lessons-index-'));
    mkdirSync(join(root, 'lessons'));
    // A stray file next to the folders, as lessons/outline.ts is in the real tree.
    writeFileSync(join(root, 'lessons', 'outline.ts'), '');
    for (const [name, text] of Object.entries(lessons)) {
      mkdirSync(join(root, 'lessons', name));
      if (text !== null) writeFileSync(join(root, 'lessons', name, 'index.md'), text);
    }
    return root;
  }

  it('shows the whole outline as "coming soon" when no lesson is written', () => {
    const entries = lessonIndex(scratch({}));
    expect(entries.map((e) => e.order)).toEqual(OUTLINE.map((o) => o.order));
    expect(entries.every(comingSoon)).toBe(true);
  });

  it('replaces a "coming soon" entry as soon as its lesson folder exists', () => {
    const entries = lessonIndex(
      scratch({
        '03-attention': [
          '---',
          'title: Attention, live',
          'part: I. Backbones',
          'order: 3',
          'minutes: 30',
          'objectives:',
          '  - Compute one attention head by hand',
          'description: A scratch lesson.',
          '---',
          '',
          '# Attention',
        ].join('\n'),
        // Without frontmatter the folder's number places it and the outline names it.
        '05-scale': '# Scale\n',
        // A folder without index.md is not a lesson yet.
        '09-cascade': null,
      }),
    );
    expectOutlineOnceInOrder(entries);
    expect(entries).toHaveLength(OUTLINE.length);
    expect(entries.find((e) => e.order === 3)).toEqual({
      order: 3,
      part: 'I. Backbones',
      title: 'Attention, live',
      summary: 'A scratch lesson.',
      minutes: 30,
      objectives: ['Compute one attention head by hand'],
      link: '/lessons/03-attention/',
    });
    const five = OUTLINE.find((o) => o.order === 5)!;
    expect(entries.find((e) => e.order === 5)).toMatchObject({ title: five.title, part: five.part, link: '/lessons/05-scale/', objectives: [] });
    expect(entries.filter((e) => !comingSoon(e)).map((e) => e.order)).toEqual([3, 5]);
  });
});
