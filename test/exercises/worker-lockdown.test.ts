import { describe, expect, it } from 'vitest';
import { lockDownScope } from '../../src/exercises/worker-lockdown';

describe('lockDownScope', () => {
  it('removes storage APIs from the scope and its prototype chain, and navigator.storage', () => {
    // Shaped like a worker global: some APIs own, some inherited, one non-configurable.
    const proto = { caches: {}, indexedDB: {} };
    const navProto = { storage: {}, userAgent: 'x' };
    const scope = Object.create(proto) as Record<string, unknown>;
    scope.navigator = Object.create(navProto);
    Object.defineProperty(scope, 'localStorage', { value: {}, configurable: true });
    scope.fetch = () => 0;
    lockDownScope(scope);
    expect(scope.indexedDB).toBeUndefined();
    expect(scope.caches).toBeUndefined();
    expect(scope.localStorage).toBeUndefined();
    expect((scope.navigator as Record<string, unknown>).storage).toBeUndefined();
    // unrelated APIs stay
    expect(typeof scope.fetch).toBe('function');
    expect((scope.navigator as Record<string, unknown>).userAgent).toBe('x');
  });
});
