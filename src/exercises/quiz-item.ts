/**
 * The quiz item format shared by the ```quiz Markdown block, the <Quiz>
 * component and the answer checker. `validateQuizItem` turns what an author
 * wrote (YAML or JSON, already parsed) into a checked `QuizItem`, or throws an
 * error naming the item and the field, so a typo fails the site build instead
 * of a learner's click.
 */
import type { SpellingVariants } from './normalize';

interface QuizBase {
  /** unique on its page; progress is stored under it */
  id: string;
  /** question text (Markdown in a ```quiz block) */
  prompt: string;
  /** why the answer is what it is; shown after any answer */
  explain?: string;
  /** filled in at build time by the Markdown plugin: `prompt`/`explain`/choices rendered to HTML */
  html?: { prompt?: string; explain?: string; choices?: string[]; items?: string[] };
}

export interface SingleChoiceItem extends QuizBase {
  type: 'single';
  choices: string[];
  /** 0-based index of the right choice */
  answer: number;
}

export interface MultipleChoiceItem extends QuizBase {
  type: 'multiple';
  choices: string[];
  /** 0-based indices of every right choice */
  answer: number[];
}

export interface NumericItem extends QuizBase {
  type: 'numeric';
  answer: number;
  /** absolute tolerance: |given - answer| <= tolerance (+ relTolerance*|answer|) */
  tolerance?: number;
  relTolerance?: number;
  /** canonical unit of `answer`, e.g. 'px' */
  unit?: string;
  /** accepted unit spellings and their factor to `unit`, e.g. { px: 1, pixels: 1, 픽셀: 1 } */
  units?: Record<string, number>;
  /** when true an answer without a unit is wrong; by default a bare number is read in `unit` */
  requireUnit?: boolean;
}

export interface OrderingItem extends QuizBase {
  type: 'ordering';
  /** the items in their right order; the component shows them shuffled */
  items: string[];
}

export interface TextItem extends QuizBase {
  type: 'text';
  /** every accepted answer (any language) */
  answers: string[];
  /** groups of equivalent spellings, e.g. [['colour', 'color'], ['경계 상자', '바운딩 박스']] */
  variants?: SpellingVariants;
  caseSensitive?: boolean;
}

export type QuizItem = SingleChoiceItem | MultipleChoiceItem | NumericItem | OrderingItem | TextItem;
export type QuizType = QuizItem['type'];

export const QUIZ_TYPES: readonly QuizType[] = ['single', 'multiple', 'numeric', 'ordering', 'text'];

/** What a learner submitted, by item type. */
export type QuizResponse =
  | { type: 'single'; choice: number }
  | { type: 'multiple'; choices: number[] }
  | { type: 'numeric'; text: string }
  | { type: 'ordering'; order: number[] }
  | { type: 'text'; text: string };

export class QuizFormatError extends Error {
  override name = 'QuizFormatError';
}

/**
 * An id for a quiz item written without one outside a ```quiz block (a
 * `<Quiz :item>` in a page): 'quiz-' and a hash of its type and content, so
 * it stays the same across builds and when the item moves on the page, and
 * two different items on a page never share one progress entry. Editing the
 * question gives a new id (and so a fresh progress entry), which is why
 * authors should still give an `id`.
 *
 * @example
 * fallbackQuizId({ type: 'single', prompt: 'IoU of a box with itself?', choices: ['0', '1'], answer: 1 }) // 'quiz-' + 8 hex digits
 */
export function fallbackQuizId(raw: unknown): string {
  const r = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const content = ['type', 'prompt', 'choices', 'items', 'answers', 'answer', 'unit'].map((k) => r[k]);
  let text: string;
  try {
    text = JSON.stringify(content);
  } catch {
    text = String(r.prompt);
  }
  // FNV-1a, 32 bits: small, deterministic on server and client, and collisions between a page's few items are negligible.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `quiz-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Checks an author's raw quiz object and returns it typed. `fallbackId` is used
 * when the author gave no `id` (the plugin passes `quiz-<n>` by position,
 * the component `fallbackQuizId(raw)`).
 *
 * @example
 * validateQuizItem({ type: 'single', prompt: 'IoU of a box with itself?', choices: ['0', '1'], answer: 1 }, 'q1')
 */
export function validateQuizItem(raw: unknown, fallbackId = 'quiz'): QuizItem {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new QuizFormatError(`quiz: expected a mapping of fields, got ${JSON.stringify(raw)}`);
  const r = raw as Record<string, unknown>;
  const id = r.id === undefined ? fallbackId : String(r.id);
  const bad = (field: string, expected: string): never => {
    throw new QuizFormatError(`quiz '${id}': '${field}' must be ${expected}, got ${JSON.stringify(r[field])}`);
  };
  if (!/^[\w.-]+$/.test(id)) bad('id', 'letters, digits, "-", "_" or "."');
  const type = r.type;
  if (typeof type !== 'string' || !(QUIZ_TYPES as readonly string[]).includes(type)) bad('type', `one of ${QUIZ_TYPES.join(', ')}`);
  if (typeof r.prompt !== 'string' || r.prompt.trim() === '') bad('prompt', 'a non-empty string');
  if (r.explain !== undefined && typeof r.explain !== 'string') bad('explain', 'a string');
  const base = { id, prompt: r.prompt as string, ...(r.explain === undefined ? {} : { explain: r.explain as string }) };
  const strings = (field: string, min: number): string[] => {
    const v = r[field];
    if (!Array.isArray(v) || v.length < min || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) bad(field, `a list of at least ${min} strings`);
    return (v as unknown[]).map(String);
  };
  switch (type as QuizType) {
    case 'single': {
      const choices = strings('choices', 2);
      if (!Number.isInteger(r.answer) || (r.answer as number) < 0 || (r.answer as number) >= choices.length) bad('answer', `a 0-based choice index in [0, ${choices.length - 1}]`);
      return { ...base, type: 'single', choices, answer: r.answer as number };
    }
    case 'multiple': {
      const choices = strings('choices', 2);
      const a = r.answer;
      if (!Array.isArray(a) || a.some((i) => !Number.isInteger(i) || i < 0 || i >= choices.length) || new Set(a).size !== a.length) {
        bad('answer', `a list of distinct 0-based choice indices in [0, ${choices.length - 1}]`);
      }
      return { ...base, type: 'multiple', choices, answer: [...(a as number[])].sort((x, y) => x - y) };
    }
    case 'numeric': {
      if (typeof r.answer !== 'number' || !Number.isFinite(r.answer)) bad('answer', 'a finite number');
      const item: NumericItem = { ...base, type: 'numeric', answer: r.answer as number };
      for (const f of ['tolerance', 'relTolerance'] as const) {
        if (r[f] !== undefined) {
          if (typeof r[f] !== 'number' || !((r[f] as number) >= 0)) bad(f, 'a number >= 0');
          item[f] = r[f] as number;
        }
      }
      if (r.unit !== undefined) {
        if (typeof r.unit !== 'string' || r.unit.trim() === '') bad('unit', 'a non-empty string');
        item.unit = r.unit as string;
      }
      if (r.units !== undefined) {
        const u = r.units;
        if (u === null || typeof u !== 'object' || Array.isArray(u) || Object.values(u).some((f) => typeof f !== 'number' || !(f > 0))) bad('units', 'a mapping of unit spelling to a positive factor');
        if (item.unit === undefined) bad('unit', "set when 'units' is given");
        item.units = u as Record<string, number>;
      }
      if (r.requireUnit !== undefined) {
        if (typeof r.requireUnit !== 'boolean') bad('requireUnit', 'true or false');
        if (item.unit === undefined) bad('unit', "set when 'requireUnit' is given");
        item.requireUnit = r.requireUnit as boolean;
      }
      return item;
    }
    case 'ordering': {
      const items = strings('items', 2);
      if (new Set(items).size !== items.length) bad('items', 'distinct strings');
      return { ...base, type: 'ordering', items };
    }
    case 'text': {
      const answers = strings('answers', 1);
      const item: TextItem = { ...base, type: 'text', answers };
      if (r.variants !== undefined) {
        const v = r.variants;
        if (!Array.isArray(v) || v.some((g) => !Array.isArray(g) || g.length < 2 || g.some((s: unknown) => typeof s !== 'string'))) bad('variants', 'a list of groups (lists of at least 2 spellings)');
        item.variants = v as string[][];
      }
      if (r.caseSensitive !== undefined) {
        if (typeof r.caseSensitive !== 'boolean') bad('caseSensitive', 'true or false');
        item.caseSensitive = r.caseSensitive as boolean;
      }
      return item;
    }
  }
  return bad('type', QUIZ_TYPES.join(', '));
}
