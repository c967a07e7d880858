import { describe, expect, it } from 'vitest';
import { migrateProgress, sanitizeProgress } from '../../src/exercises/progress-schema';
import { BACKUP_KEY, lessonKey, NOTICE_KEY, PROGRESS_KEY, ProgressImportError, ProgressStore, type StorageLike } from '../../src/exercises/progress-store';

class MapStorage implements StorageLike {
  m = new Map<string, string>();
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

const clock = () => new Date('2025-01-02T03:04:05.000Z');
const L6 = '/lessons/06-boxes-iou-nms/';

describe('lessonKey', () => {
  it('maps every way of naming a lesson to one key, dropping a site base', () => {
    for (const p of [L6, 'lessons/06-boxes-iou-nms/index.md', '/lessons/06-boxes-iou-nms.html', '/vision-notebook/lessons/06-boxes-iou-nms/index.html', '/lessons/06-boxes-iou-nms/#self-check', 'lessons/06-boxes-iou-nms/self-check.md', '/lessons/06-boxes-iou-nms/self-check.html']) {
      expect(lessonKey(p)).toBe('lessons/06-boxes-iou-nms');
    }
    expect(lessonKey('/docs/selfcheck.html')).toBe('docs/selfcheck');
  });
});

describe('ProgressStore', () => {
  it('records visits, quizzes and exercises, and survives a new store on the same storage (a reload)', () => {
    const storage = new MapStorage();
    const a = new ProgressStore(storage, clock);
    expect(a.lessonStatus(L6)).toBe('new');
    a.markLessonVisited(L6);
    a.registerItems(L6, { quizzes: ['q1'], exercises: ['iou'] });
    expect(a.lessonStatus(L6)).toBe('visited');
    a.recordQuiz(L6, 'q1', { correct: false });
    a.recordQuiz(L6, 'q1', { correct: true });
    a.recordExercise(L6, 'iou', { passed: true });
    expect(a.lessonStatus(L6)).toBe('done');

    const b = new ProgressStore(storage, clock);
    expect(b.lessonStatus('lessons/06-boxes-iou-nms/index.md')).toBe('done');
    expect(b.getProgress().lastLesson).toBe('lessons/06-boxes-iou-nms');
    expect(b.getProgress().lessons['lessons/06-boxes-iou-nms']!.quizzes.q1).toEqual({
      passed: true,
      lastPassed: true,
      attempts: 2,
      lastAt: '2025-01-02T03:04:05.000Z',
      firstPassedAt: '2025-01-02T03:04:05.000Z',
    });
    expect(b.getNotice()).toBeNull();
  });

  it('keeps an item passed after a later wrong attempt, and a lesson with a failing exercise is not done', () => {
    const s = new ProgressStore(new MapStorage(), clock);
    s.recordExercise(L6, 'iou', { passed: true });
    s.recordExercise(L6, 'iou', { passed: false });
    s.recordExercise(L6, 'nms', { passed: false });
    const rec = s.getProgress().lessons['lessons/06-boxes-iou-nms']!;
    expect(rec.exercises.iou).toMatchObject({ passed: true, lastPassed: false, attempts: 2 });
    expect(s.lessonStatus(L6)).toBe('visited');
  });

  it('export, clear, import gives the same progress back', () => {
    const s = new ProgressStore(new MapStorage(), clock);
    s.markLessonVisited(L6);
    s.recordExercise(L6, 'iou', { passed: true });
    const before = structuredClone(s.getProgress());
    const file = s.exportProgress();
    s.clearProgress();
    expect(s.lessonStatus(L6)).toBe('new');
    expect(s.importProgress(file)).toEqual({ lessons: 1 });
    expect(s.getProgress()).toEqual(before);
  });

  it('rejects a file that is not an export and leaves progress unchanged', () => {
    const s = new ProgressStore(new MapStorage(), clock);
    s.markLessonVisited(L6);
    expect(() => s.importProgress('not json')).toThrow(ProgressImportError);
    expect(() => s.importProgress('{"a":1}')).toThrow('This file is not a Vision Notebook progress export.');
    expect(() => s.importProgress('{"format":"vision-notebook-progress","progress":{"version":7}}')).toThrow(
      'This export cannot be read: it was saved by a newer version of the course (7).',
    );
    expect(s.lessonStatus(L6)).toBe('visited');
  });

  it('resets corrupted JSON with a notice and keeps the text in a backup key', () => {
    const storage = new MapStorage();
    storage.setItem(PROGRESS_KEY, '{"version":1,"lessons":{');
    const s = new ProgressStore(storage, clock);
    expect(s.lessonStatus(L6)).toBe('new');
    expect(s.getNotice()).toBe('Your saved progress could not be read (it was damaged), so it was reset.');
    expect(storage.getItem(BACKUP_KEY)).toBe('{"version":1,"lessons":{');
    s.markLessonVisited(L6); // and it works afterwards
    expect(JSON.parse(storage.getItem(PROGRESS_KEY)!).lessons['lessons/06-boxes-iou-nms']).toBeDefined();
  });

  it('keeps the reset notice for the next page load until it is dismissed', () => {
    const storage = new MapStorage();
    storage.setItem(PROGRESS_KEY, 'not json');
    const first = new ProgressStore(storage, clock);
    first.markLessonVisited(L6); // the page that found the damage wrote good progress since
    // the next page (a new store over the same storage) still explains what happened
    const next = new ProgressStore(storage, clock);
    expect(next.getNotice()).toBe('Your saved progress could not be read (it was damaged), so it was reset.');
    expect(next.lessonStatus(L6)).toBe('visited');
    next.dismissNotice();
    expect(next.getNotice()).toBeNull();
    expect(storage.getItem(NOTICE_KEY)).toBeNull();
    expect(new ProgressStore(storage, clock).getNotice()).toBeNull();
  });

  it('clearing or importing progress forgets a pending notice', () => {
    const storage = new MapStorage();
    storage.setItem(PROGRESS_KEY, 'not json');
    const s = new ProgressStore(storage, clock);
    expect(s.getNotice()).not.toBeNull();
    s.clearProgress();
    expect(new ProgressStore(storage, clock).getNotice()).toBeNull();
    storage.setItem(PROGRESS_KEY, 'not json');
    const t = new ProgressStore(storage, clock);
    const exported = new ProgressStore(new MapStorage(), clock).exportProgress();
    expect(t.getNotice()).not.toBeNull();
    t.importProgress(exported);
    expect(new ProgressStore(storage, clock).getNotice()).toBeNull();
  });

  it('resets a store from a newer version, or of the wrong kind, with a notice', () => {
    for (const [raw, reason] of [
      ['{"version":9,"lessons":{}}', 'it was saved by a newer version of the course (9)'],
      ['[1,2]', 'it is not a progress record'],
      ['{"lessons":{}}', 'it has no valid version'],
    ] as const) {
      const storage = new MapStorage();
      storage.setItem(PROGRESS_KEY, raw);
      const s = new ProgressStore(storage, clock);
      expect(s.getProgress().lessons).toEqual({});
      expect(s.getNotice()).toBe(`Your saved progress could not be used (${reason}), so it was reset.`);
    }
  });

  it('drops damaged entries, keeps the good ones and says how many went', () => {
    const storage = new MapStorage();
    storage.setItem(
      PROGRESS_KEY,
      JSON.stringify({ version: 1, lastLesson: 'lessons/a', lessons: { 'lessons/a': { quizzes: { q1: { passed: true, attempts: 1 }, q2: 'x' } }, 'lessons/b': 5 } }),
    );
    const s = new ProgressStore(storage, clock);
    // q2 ('x') and lessons/b (5) are dropped: 2 entries
    expect(s.getNotice()).toBe('Some of your saved progress was damaged; 2 unreadable entries were removed.');
    expect(Object.keys(s.getProgress().lessons)).toEqual(['lessons/a']);
    expect(s.getProgress().lessons['lessons/a']!.quizzes.q1!.passed).toBe(true);
  });

  it('tells subscribers about every change until they unsubscribe', () => {
    const s = new ProgressStore(new MapStorage(), clock);
    const seen: number[] = [];
    const stop = s.subscribe((p) => seen.push(Object.keys(p.lessons).length));
    s.markLessonVisited(L6);
    s.recordQuiz('/lessons/01-convolution/', 'q', { correct: true });
    stop();
    s.clearProgress();
    expect(seen).toEqual([1, 2]);
  });

  it('carries on in memory when storage throws on write, with a notice', () => {
    const storage = new MapStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const s = new ProgressStore(storage, clock);
    s.markLessonVisited(L6);
    expect(s.lessonStatus(L6)).toBe('visited');
    expect(s.getNotice()).toMatch(/cannot be saved/);
  });
});

describe('migrateProgress', () => {
  it('applies each step from the stored version to the current one', () => {
    // A made-up history: v1 stored `visited: string[]`, v2 renamed it to `seen`, v3 is the current shape.
    const migrations = {
      1: (d: Record<string, unknown>) => ({ seen: d.visited }),
      2: (d: Record<string, unknown>) => ({ lessons: Object.fromEntries((d.seen as string[]).map((k) => [k, {}])), lastLesson: null }),
    };
    const r = migrateProgress({ version: 1, visited: ['lessons/a'] }, migrations, 3);
    expect(r).toEqual({ ok: true, from: 1, data: { version: 3, lessons: { 'lessons/a': {} }, lastLesson: null } });
    const sane = sanitizeProgress((r as { data: Record<string, unknown> }).data);
    expect(sane.data.lessons['lessons/a']!.items).toEqual({ quizzes: [], exercises: [] });
  });
  it('fails (without throwing) on a missing or throwing step', () => {
    expect(migrateProgress({ version: 1 }, {}, 2)).toEqual({ ok: false, reason: 'there is no way to update version 1' });
    const boom = { 1: () => { throw new Error('bad'); } };
    expect(migrateProgress({ version: 1 }, boom, 2)).toEqual({ ok: false, reason: 'updating version 1 failed: bad' });
  });
});
