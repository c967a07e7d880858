import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { OUTLINE } from '../lessons/outline';

/** A lesson as the course map and sidebar show it: written (with a link) or coming soon. */
export interface LessonEntry {
  order: number;
  part: string;
  title: string;
  summary: string;
  minutes?: number;
  objectives: string[];
  /** Site path such as '/lessons/01-convolution/', absent while the lesson is not written. */
  link?: string;
}

function frontmatter(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  return match ? ((yaml.load(match[1]) as Record<string, unknown>) ?? {}) : {};
}

/**
 * Merges the lesson folders' frontmatter (title, part, order, minutes,
 * objectives) with the outline, so adding `lessons/NN-slug/index.md` adds
 * the lesson to the map and the sidebar without touching any config.
 */
export function lessonIndex(root: string): LessonEntry[] {
  const dir = join(root, 'lessons');
  const written = new Map<number, LessonEntry>();
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'index.md');
    if (!existsSync(file)) continue;
    const fm = frontmatter(file);
    const order = Number(fm.order ?? Number.parseInt(name, 10));
    const planned = OUTLINE.find((o) => o.order === order);
    written.set(order, {
      order,
      part: String(fm.part ?? planned?.part ?? 'Extra'),
      title: String(fm.title ?? planned?.title ?? name),
      summary: String(fm.description ?? planned?.summary ?? ''),
      minutes: fm.minutes === undefined ? undefined : Number(fm.minutes),
      objectives: Array.isArray(fm.objectives) ? fm.objectives.map(String) : [],
      link: `/lessons/${name}/`,
    });
  }
  const planned = OUTLINE.filter((o) => !written.has(o.order)).map((o) => ({ ...o, objectives: [] }));
  return [...written.values(), ...planned].sort((a, b) => a.order - b.order);
}
