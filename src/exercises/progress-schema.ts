/**
 * The stored progress's shape, its version, and the steps that bring an older
 * stored shape up to date. To change the shape: bump `SCHEMA_VERSION`, add
 * `MIGRATIONS[old]` that maps the old shape to the new one, and a test with a
 * stored document of the old version.
 */

export const SCHEMA_VERSION = 1;

export interface ItemRecord {
  /** answered right / passed at least once */
  passed: boolean;
  /** the latest attempt's result */
  lastPassed: boolean;
  attempts: number;
  firstPassedAt?: string;
  lastAt: string;
}

export interface LessonRecord {
  firstVisitedAt: string;
  lastVisitedAt: string;
  quizzes: Record<string, ItemRecord>;
  exercises: Record<string, ItemRecord>;
  /** the self-check items the lesson page has (registered by its components) */
  items: { quizzes: string[]; exercises: string[] };
}

export interface ProgressData {
  version: typeof SCHEMA_VERSION;
  /** keyed by lessonKey(): 'lessons/06-boxes-iou-nms' */
  lessons: Record<string, LessonRecord>;
  /** the lesson visited last ("continue where you left off") */
  lastLesson: string | null;
  updatedAt?: string;
}

/** MIGRATIONS[v] turns a stored document of version v into version v + 1. Version 1 is the first. */
export type Migration = (old: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Record<number, Migration> = {};

export type MigrateResult = { ok: true; data: Record<string, unknown>; from: number } | { ok: false; reason: string };

/**
 * Brings a parsed stored document to `current` by applying each migration in turn.
 *
 * @example
 * migrateProgress({ version: 1, lessons: {}, lastLesson: null }) // { ok: true, from: 1, data: {...} }
 * migrateProgress({ version: 99 })  // { ok: false, reason: 'it was saved by a newer version of the course (99)' }
 */
export function migrateProgress(raw: unknown, migrations: Record<number, Migration> = MIGRATIONS, current: number = SCHEMA_VERSION): MigrateResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'it is not a progress record' };
  let doc = raw as Record<string, unknown>;
  const from = doc.version;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) return { ok: false, reason: 'it has no valid version' };
  if (from > current) return { ok: false, reason: `it was saved by a newer version of the course (${from})` };
  for (let v = from; v < current; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, reason: `there is no way to update version ${v}` };
    try {
      doc = { ...step(doc), version: v + 1 };
    } catch (e) {
      return { ok: false, reason: `updating version ${v} failed: ${(e as Error).message}` };
    }
  }
  return { ok: true, data: doc, from };
}

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

function cleanItem(x: unknown): ItemRecord | null {
  if (!isObj(x) || typeof x.passed !== 'boolean') return null;
  const attempts = typeof x.attempts === 'number' && Number.isInteger(x.attempts) && x.attempts >= 0 ? x.attempts : 1;
  return {
    passed: x.passed,
    lastPassed: typeof x.lastPassed === 'boolean' ? x.lastPassed : x.passed,
    attempts,
    lastAt: isStr(x.lastAt) ? x.lastAt : '',
    ...(isStr(x.firstPassedAt) ? { firstPassedAt: x.firstPassedAt } : {}),
  };
}

/**
 * Keeps every well-formed entry of a current-version document and drops the
 * rest, counting what it dropped (the store tells the learner).
 */
export function sanitizeProgress(doc: Record<string, unknown>): { data: ProgressData; dropped: number } {
  let dropped = 0;
  const lessons: Record<string, LessonRecord> = {};
  const rawLessons = isObj(doc.lessons) ? doc.lessons : ((dropped += doc.lessons === undefined ? 0 : 1), {});
  for (const [key, l] of Object.entries(rawLessons)) {
    if (!isObj(l)) {
      dropped++;
      continue;
    }
    const items = { quizzes: [] as string[], exercises: [] as string[] };
    const rec: LessonRecord = {
      firstVisitedAt: isStr(l.firstVisitedAt) ? l.firstVisitedAt : '',
      lastVisitedAt: isStr(l.lastVisitedAt) ? l.lastVisitedAt : '',
      quizzes: {},
      exercises: {},
      items,
    };
    for (const kind of ['quizzes', 'exercises'] as const) {
      const src = l[kind];
      if (isObj(src)) {
        for (const [id, it] of Object.entries(src)) {
          const c = cleanItem(it);
          if (c) rec[kind][id] = c;
          else dropped++;
        }
      } else if (src !== undefined) dropped++;
      const reg = isObj(l.items) ? l.items[kind] : undefined;
      if (Array.isArray(reg)) items[kind] = reg.filter(isStr);
    }
    lessons[key] = rec;
  }
  const last = isStr(doc.lastLesson) ? doc.lastLesson : null;
  return {
    data: { version: SCHEMA_VERSION, lessons, lastLesson: last, ...(isStr(doc.updatedAt) ? { updatedAt: doc.updatedAt } : {}) },
    dropped,
  };
}
