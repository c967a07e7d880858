import { beforeAll, expect } from 'vitest';
import { useFastestNodeBackend } from '../../src/backends/node-backend';

/**
 * Tests that train run on the fastest backend that trains, as
 * `npm run train:weights` does: wasm with the course's training kernels
 * (~100x the cpu backend). Other unit tests stay on cpu, the reference.
 */
export function trainOnFastestBackend(): void {
  beforeAll(async () => {
    expect(await useFastestNodeBackend()).toBe('wasm');
  });
}
