import { describe, expect, it } from 'vitest';
import { LOCKED_GLOBALS, lockDownScope } from '../../src/exercises/worker-lockdown';

describe('lockDownScope', () => {
  it('removes storage APIs from the scope and its prototype chain, and navigator.storage', () => {
    // Shaped like a worker global: some APIs own, some inherited, one non-configurable.
    const proto = { caches: {}, indexedDB: {} };
    const navProto = { storage: {}, userAgent: 'x' };
    const scope = Object.create(proto) as Record<string, unknown>;
    scope.navigator = Object.create(navProto);
    Object.defineProperty(scope, 'localStorage', { value: {}, configurable: true });
    scope.setTimeout = () => 0;
    lockDownScope(scope);
    expect(scope.indexedDB).toBeUndefined();
    expect(scope.caches).toBeUndefined();
    expect(scope.localStorage).toBeUndefined();
    expect((scope.navigator as Record<string, unknown>).storage).toBeUndefined();
    // unrelated APIs stay
    expect(typeof scope.setTimeout).toBe('function');
    expect((scope.navigator as Record<string, unknown>).userAgent).toBe('x');
  });

  it('removes the network, other threads, and the line to the page (postMessage, close)', () => {
    const names = ['Worker', 'SharedWorker', 'BroadcastChannel', 'fetch', 'XMLHttpRequest', 'WebSocket', 'importScripts', 'postMessage', 'close'];
    const workerGlobalProto = Object.fromEntries(names.map((n) => [n, () => n]));
    const dedicatedProto = Object.create(workerGlobalProto, { postMessage: { value: () => 'own', configurable: true, writable: true } });
    const scope = Object.create(dedicatedProto) as Record<string, unknown>;
    scope.navigator = { serviceWorker: {}, locks: {} };
    // A non-configurable own property cannot be deleted; it must at least not be callable afterwards.
    Object.defineProperty(scope, 'fetch', { value: () => 'net', configurable: false, writable: true });
    const kept = (scope.postMessage as () => string).bind(scope);
    lockDownScope(scope);
    for (const n of names) {
      expect(LOCKED_GLOBALS).toContain(n);
      expect(typeof scope[n], n).not.toBe('function');
    }
    expect((scope.navigator as Record<string, unknown>).serviceWorker).toBeUndefined();
    expect((scope.navigator as Record<string, unknown>).locks).toBeUndefined();
    // the grader's own reference, taken before the lockdown, still works
    expect(kept()).toBe('own');
  });
});
