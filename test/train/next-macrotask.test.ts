import { describe, expect, it } from 'vitest';
import { nextMacrotask } from '../../src/util/next-macrotask';

describe('nextMacrotask', () => {
  it('waits for a task, so a timer queued first runs before it resumes (a microtask would not)', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('earlier timer'), 0);
    void Promise.resolve().then(() => order.push('microtask'));
    await nextMacrotask();
    order.push('resumed');
    expect(order).toEqual(['microtask', 'earlier timer', 'resumed']);
  });
});
