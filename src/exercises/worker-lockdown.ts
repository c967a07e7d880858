/**
 * Removes the storage APIs a worker shares with its page (IndexedDB, Cache
 * Storage, StorageManager) from a worker's global scope, so learner code in
 * the grader cannot read or change the learner's progress or cached models.
 * Pure over the object it is given, so it is unit-tested on a plain object.
 */

export const LOCKED_GLOBALS = ['indexedDB', 'caches', 'localStorage', 'sessionStorage', 'cookieStore'] as const;

/**
 * Deletes each name from the scope and its prototype chain; where a property
 * cannot be deleted it is shadowed by a non-writable `undefined`.
 *
 * @example
 * lockDownScope(self); typeof indexedDB // 'undefined'
 */
export function lockDownScope(scope: Record<string, unknown>): void {
  for (const name of LOCKED_GLOBALS) removeEverywhere(scope, name);
  const nav = scope.navigator as Record<string, unknown> | undefined;
  if (nav && typeof nav === 'object') removeEverywhere(nav, 'storage');
}

function removeEverywhere(obj: Record<string, unknown>, name: string): void {
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d?.configurable) delete (o as Record<string, unknown>)[name];
  }
  if (name in obj && obj[name] !== undefined) {
    try {
      Object.defineProperty(obj, name, { value: undefined, writable: false, configurable: false });
    } catch {
      // A non-configurable own property: nothing more can be done from script; the browser test checks the result.
    }
  }
}
