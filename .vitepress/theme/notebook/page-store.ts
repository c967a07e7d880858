import { COURSE_NAMES, loadCourse } from '../../../src/course';
import { createPageNotebook, type PageNotebook } from '../../../src/notebook/index';

/**
 * One PageNotebook for the page being read. Cells register as they mount;
 * when the last one unmounts (the reader left the page) the notebook is
 * disposed, which stops generators and disposes kept tensors.
 */
let current: Promise<PageNotebook> | null = null;
let live = 0;

function contentWidth(): number {
  const doc = document.querySelector('.vp-doc');
  return Math.max(240, Math.floor(doc?.clientWidth ?? document.body.clientWidth));
}

export function acquireNotebook(): Promise<PageNotebook> {
  live++;
  // The site hands the engine the course namespace; the engine imports no course code.
  current ??= createPageNotebook(contentWidth, { names: COURSE_NAMES, load: loadCourse });
  return current;
}

export function releaseNotebook(): void {
  live--;
  if (live > 0 || !current) return;
  const done = current;
  current = null;
  resetSharedInputs();
  void done.then((nb) => nb.dispose()).catch(() => undefined);
}

/** The page's notebook if it exists (tests and the share button read inputs through it). */
export function currentNotebook(): Promise<PageNotebook> | null {
  return current;
}

let shared: Promise<Record<string, unknown> | null> | null = null;

/** Input values from a shared link (`?exp=`), read once per page; never code, only plain values. */
export function sharedInputs(): Promise<Record<string, unknown> | null> {
  shared ??= import('../../../src/exercises/index').then(({ inputsFromUrl }) => {
    const { values, error } = inputsFromUrl(location.href);
    // The share button shows this to the learner; the console line is for whoever debugs the link.
    if (error) console.warn(error);
    return values;
  });
  return shared;
}

/** Forget the shared values once the reader moves to another page. */
export function resetSharedInputs(): void {
  shared = null;
}
