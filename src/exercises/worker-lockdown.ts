/**
 * Removes from a worker's global scope what learner code in the grader must
 * not reach: the storage a worker shares with its page (IndexedDB, Cache
 * Storage, StorageManager), the network (fetch, XMLHttpRequest, WebSocket,
 * EventSource, WebTransport, importScripts), other threads (Worker,
 * SharedWorker, BroadcastChannel, navigator.serviceWorker, Web Locks), and
 * the worker's own line to the page (postMessage, close), so learner code
 * can neither read progress nor forge or suppress the grader's reply. The
 * worker takes its own reference to postMessage before calling this.
 * Pure over the object it is given, so it is unit-tested on a plain object.
 *
 * Not covered, because script cannot remove it: a dynamic `import()` in
 * learner code. A Content-Security-Policy on the worker would be needed; the
 * site is static and sets none.
 */

export const LOCKED_GLOBALS = [
  // storage shared with the page
  'indexedDB',
  'caches',
  'localStorage',
  'sessionStorage',
  'cookieStore',
  // network
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'WebTransport',
  'importScripts',
  // other threads and channels
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  // the worker's own line to the page: only the grader's code may answer or end it
  'postMessage',
  'close',
] as const;

export const LOCKED_NAVIGATOR = ['storage', 'serviceWorker', 'locks'] as const;

/**
 * Deletes each name from the scope and its prototype chain; where a property
 * cannot be deleted it is shadowed by a non-writable `undefined`.
 *
 * @example
 * const post = self.postMessage.bind(self);
 * lockDownScope(self); typeof indexedDB // 'undefined'
 */
export function lockDownScope(scope: Record<string, unknown>): void {
  for (const name of LOCKED_GLOBALS) removeEverywhere(scope, name);
  const nav = scope.navigator as Record<string, unknown> | undefined;
  if (nav && typeof nav === 'object') for (const name of LOCKED_NAVIGATOR) removeEverywhere(nav, name);
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
