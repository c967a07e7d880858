/**
 * What a learner keeps between visits: lessons visited, quiz items answered,
 * exercises passed. Stored in the browser's localStorage under one key as
 * versioned JSON (`SCHEMA_VERSION`); an older shape is migrated step by step,
 * and anything unreadable (corrupted JSON, a newer or unknown version, wrong
 * types) is reset with a notice the UI shows — never an exception on load.
 * The unreadable text is kept under a backup key so nothing is lost silently,
 * and the notice itself is stored until the learner dismisses it, so a reset
 * noticed by no one on one page is still explained on the next.
 *
 * localStorage rather than IndexedDB: the data is a few KB, and a synchronous
 * read lets the course map mark lessons in the first render after mount.
 * The grader's worker cannot reach localStorage (workers have none).
 */
import { migrateProgress, sanitizeProgress, SCHEMA_VERSION, type LessonRecord, type ProgressData } from './progress-schema';

export type { ItemRecord, LessonRecord, ProgressData } from './progress-schema';
export { SCHEMA_VERSION } from './progress-schema';

export const PROGRESS_KEY = 'vision-notebook:progress';
export const BACKUP_KEY = 'vision-notebook:progress:unreadable-backup';
/** A reset or migration message not yet dismissed, kept so it still shows after a reload or on the next page. */
export const NOTICE_KEY = 'vision-notebook:progress:notice';
export const EXPORT_FORMAT = 'vision-notebook-progress';

export type LessonStatus = 'new' | 'visited' | 'done';
export type Listener = (data: Readonly<ProgressData>) => void;

/** The part of `Storage` the store uses; tests pass an in-memory one. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class ProgressImportError extends Error {
  override name = 'ProgressImportError';
}

/**
 * A lesson's key from any path or URL that names it or a page inside its
 * folder: '/base/lessons/06-boxes-iou-nms/', 'lessons/06-boxes-iou-nms/index.md',
 * '/lessons/06-boxes-iou-nms.html' and 'lessons/06-boxes-iou-nms/self-check.md'
 * all give 'lessons/06-boxes-iou-nms'. Whatever precedes 'lessons/' (a site
 * base) is dropped. A path outside lessons/ is only trimmed.
 *
 * @example
 * lessonKey('/vision-notebook/lessons/01-convolution/index.html') // 'lessons/01-convolution'
 */
export function lessonKey(path: string): string {
  const p = path.split(/[?#]/)[0]!;
  const m = /(?:^|\/)lessons\/([^/]+?)(?:\.(?:md|html))?(?:\/|$)/.exec(p);
  if (m) return `lessons/${m[1]}`;
  return p.replace(/^\/+/, '').replace(/(\/index)?\.(md|html)$/, '').replace(/\/+$/, '');
}

function emptyProgress(): ProgressData {
  return { version: SCHEMA_VERSION, lessons: {}, lastLesson: null };
}

class MemoryStorage implements StorageLike {
  private m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

/** localStorage when there is one and it works (not in SSR, not when blocked), else memory. */
export function defaultStorage(): StorageLike {
  try {
    const ls = (globalThis as { localStorage?: Storage }).localStorage;
    if (ls) {
      const probe = `${PROGRESS_KEY}:probe`;
      ls.setItem(probe, '1');
      ls.removeItem(probe);
      return ls;
    }
  } catch {
    // Blocked storage (privacy mode, sandboxed iframe): progress lasts for this page only.
  }
  return new MemoryStorage();
}

export class ProgressStore {
  private data: ProgressData = emptyProgress();
  private loaded = false;
  private notice: string | null = null;
  private listeners = new Set<Listener>();

  constructor(private storage: StorageLike = new MemoryStorage(), private now: () => Date = () => new Date()) {}

  /** Re-reads the stored value (another tab may have written it). */
  reload(): void {
    this.loaded = false;
    this.ensureLoaded();
    this.emit();
  }

  getProgress(): Readonly<ProgressData> {
    this.ensureLoaded();
    return this.data;
  }

  /** A message for the learner when stored progress had to be migrated or reset; null otherwise. */
  getNotice(): string | null {
    this.ensureLoaded();
    return this.notice;
  }

  dismissNotice(): void {
    this.forgetNotice();
    this.emit();
  }

  markLessonVisited(lessonPath: string): void {
    const rec = this.lesson(lessonPath, true)!;
    rec.lastVisitedAt = this.stamp();
    this.data.lastLesson = lessonKey(lessonPath);
    this.save();
  }

  /** Tells the store which self-check items a lesson has, so it can say when the lesson is done. */
  registerItems(lessonPath: string, items: { quizzes?: string[]; exercises?: string[] }): void {
    const rec = this.lesson(lessonPath, true)!;
    const merge = (have: string[], add: string[] = []) => [...new Set([...have, ...add])].sort();
    const quizzes = merge(rec.items.quizzes, items.quizzes);
    const exercises = merge(rec.items.exercises, items.exercises);
    if (quizzes.join() === rec.items.quizzes.join() && exercises.join() === rec.items.exercises.join()) return;
    rec.items = { quizzes, exercises };
    this.save();
  }

  recordExercise(lessonPath: string, exerciseId: string, result: { passed: boolean }): void {
    this.recordItem(lessonPath, 'exercises', exerciseId, result.passed);
  }

  recordQuiz(lessonPath: string, quizId: string, result: { correct: boolean }): void {
    this.recordItem(lessonPath, 'quizzes', quizId, result.correct);
  }

  /**
   * 'new' (never opened), 'visited', or 'done' (every registered exercise
   * passed and every registered quiz item answered right at least once).
   */
  lessonStatus(lessonPath: string): LessonStatus {
    const rec = this.lesson(lessonPath, false);
    if (!rec) return 'new';
    const { quizzes, exercises } = rec.items;
    if (quizzes.length + exercises.length === 0) return 'visited';
    const allQuiz = quizzes.every((id) => rec.quizzes[id]?.passed);
    const allEx = exercises.every((id) => rec.exercises[id]?.passed);
    return allQuiz && allEx ? 'done' : 'visited';
  }

  /** The progress as a JSON document for a file download. */
  exportProgress(): string {
    this.ensureLoaded();
    return JSON.stringify({ format: EXPORT_FORMAT, exportedAt: this.stamp(), progress: this.data }, null, 2);
  }

  /**
   * Replaces the progress with an exported document (older versions are
   * migrated). Throws `ProgressImportError` with a readable message when the
   * text is not an export; the stored progress is then left unchanged.
   */
  importProgress(json: string): { lessons: number } {
    let doc: unknown;
    try {
      doc = JSON.parse(json);
    } catch {
      throw new ProgressImportError('This file is not a progress export (it is not JSON).');
    }
    const d = doc as { format?: unknown; progress?: unknown };
    if (!d || typeof d !== 'object' || d.format !== EXPORT_FORMAT || !d.progress) {
      throw new ProgressImportError('This file is not a Vision Notebook progress export.');
    }
    const migrated = migrateProgress(d.progress);
    if (!migrated.ok) throw new ProgressImportError(`This export cannot be read: ${migrated.reason}.`);
    this.ensureLoaded();
    this.data = sanitizeProgress(migrated.data).data;
    this.forgetNotice();
    this.save();
    return { lessons: Object.keys(this.data.lessons).length };
  }

  clearProgress(): void {
    this.data = emptyProgress();
    this.loaded = true;
    this.forgetNotice();
    this.storage.removeItem(PROGRESS_KEY);
    this.emit();
  }

  /** Calls `fn` after every change; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private recordItem(lessonPath: string, kind: 'exercises' | 'quizzes', id: string, passed: boolean): void {
    const rec = this.lesson(lessonPath, true)!;
    const at = this.stamp();
    const prev = rec[kind][id];
    rec[kind][id] = {
      passed: Boolean(prev?.passed) || passed,
      lastPassed: passed,
      attempts: (prev?.attempts ?? 0) + 1,
      lastAt: at,
      ...(prev?.firstPassedAt ? { firstPassedAt: prev.firstPassedAt } : passed ? { firstPassedAt: at } : {}),
    };
    if (!rec.items[kind].includes(id)) rec.items[kind] = [...rec.items[kind], id].sort();
    this.save();
  }

  private lesson(lessonPath: string, create: boolean): LessonRecord | undefined {
    this.ensureLoaded();
    const key = lessonKey(lessonPath);
    let rec = this.data.lessons[key];
    if (!rec && create) {
      const at = this.stamp();
      rec = { firstVisitedAt: at, lastVisitedAt: at, quizzes: {}, exercises: {}, items: { quizzes: [], exercises: [] } };
      this.data.lessons[key] = rec;
    }
    return rec;
  }

  private ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.load();
    if (this.notice === null) {
      try {
        this.notice = this.storage.getItem(NOTICE_KEY);
      } catch {
        // Unreadable storage already shows its own notice when saving fails.
      }
    }
  }

  private load(): void {
    let raw: string | null = null;
    try {
      raw = this.storage.getItem(PROGRESS_KEY);
    } catch {
      raw = null;
    }
    if (raw === null) {
      this.data = emptyProgress();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return this.resetUnreadable(raw, 'Your saved progress could not be read (it was damaged), so it was reset.');
    }
    const migrated = migrateProgress(parsed);
    if (!migrated.ok) return this.resetUnreadable(raw, `Your saved progress could not be used (${migrated.reason}), so it was reset.`);
    const clean = sanitizeProgress(migrated.data);
    this.data = clean.data;
    if (migrated.from !== SCHEMA_VERSION) {
      this.keepNotice(`Your saved progress was updated from an older format (version ${migrated.from}).`);
      this.save(false);
    }
    if (clean.dropped > 0) {
      this.keepNotice(`Some of your saved progress was damaged; ${clean.dropped} unreadable entr${clean.dropped === 1 ? 'y was' : 'ies were'} removed.`);
      this.save(false);
    }
  }

  private resetUnreadable(raw: string, message: string): void {
    try {
      this.storage.setItem(BACKUP_KEY, raw);
      this.storage.removeItem(PROGRESS_KEY);
    } catch {
      // Storage itself failing is not the learner's problem; carry on in memory.
    }
    this.data = emptyProgress();
    this.keepNotice(message);
  }

  private keepNotice(message: string): void {
    this.notice = message;
    try {
      this.storage.setItem(NOTICE_KEY, message);
    } catch {
      // Shown on this page only.
    }
  }

  private forgetNotice(): void {
    this.notice = null;
    try {
      this.storage.removeItem(NOTICE_KEY);
    } catch {
      // Nothing stored to forget.
    }
  }

  private save(notify = true): void {
    this.data.updatedAt = this.stamp();
    try {
      this.storage.setItem(PROGRESS_KEY, JSON.stringify(this.data));
    } catch {
      this.notice = 'Your progress cannot be saved in this browser (storage is full or blocked); it lasts until you leave the page.';
    }
    if (notify) this.emit();
  }

  private emit(): void {
    for (const fn of this.listeners) {
      try {
        fn(this.data);
      } catch (e) {
        console.error('progress listener failed', e);
      }
    }
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

// ---- the page's store: one instance, created on first use (never during SSR module load) ----

let shared: ProgressStore | null = null;

/** The page's store over localStorage; follows writes from other tabs. */
export function progressStore(): ProgressStore {
  if (!shared) {
    shared = new ProgressStore(defaultStorage());
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (e) => {
        if (e.key === PROGRESS_KEY || e.key === null) shared?.reload();
      });
    }
  }
  return shared;
}

/** @example markLessonVisited('/lessons/06-boxes-iou-nms/') */
export const markLessonVisited = (lessonPath: string) => progressStore().markLessonVisited(lessonPath);
/** @example recordExercise('lessons/06-boxes-iou-nms', 'iou', { passed: true }) */
export const recordExercise = (lessonPath: string, exerciseId: string, result: { passed: boolean }) =>
  progressStore().recordExercise(lessonPath, exerciseId, result);
/** @example recordQuiz('lessons/06-boxes-iou-nms', 'iou-identical', { correct: false }) */
export const recordQuiz = (lessonPath: string, quizId: string, result: { correct: boolean }) => progressStore().recordQuiz(lessonPath, quizId, result);
/** @example registerItems('lessons/01-convolution', { exercises: ['conv-output-size'] }) */
export const registerItems = (lessonPath: string, items: { quizzes?: string[]; exercises?: string[] }) => progressStore().registerItems(lessonPath, items);
/** @example getProgress().lastLesson // 'lessons/06-boxes-iou-nms' */
export const getProgress = () => progressStore().getProgress();
/** @example lessonStatus('/lessons/01-convolution/') // 'new' | 'visited' | 'done' */
export const lessonStatus = (lessonPath: string) => progressStore().lessonStatus(lessonPath);
/** @example download(exportProgress(), 'progress.json') */
export const exportProgress = () => progressStore().exportProgress();
/** @example importProgress(await file.text()) // { lessons: 3 }, or throws ProgressImportError */
export const importProgress = (json: string) => progressStore().importProgress(json);
/** @example clearProgress() */
export const clearProgress = () => progressStore().clearProgress();
/** @example const stop = subscribe((p) => render(p)); onUnmounted(stop) */
export const subscribe = (fn: Listener) => progressStore().subscribe(fn);
/** @example const msg = progressNotice(); if (msg) showBanner(msg) */
export const progressNotice = () => progressStore().getNotice();
