import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Runs `fn` and asserts the tensor count returns to where it started. */
export async function noLeak(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  expect(tf.memory().numTensors).toBe(before);
}

/** Reads a tensor as nested arrays and disposes it. */
export function take<T = number[][]>(t: tf.Tensor): T {
  const v = t.arraySync() as T;
  t.dispose();
  return v;
}

/** Elementwise closeness of nested arrays (float32 tolerance by default). */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-5): void {
  const a = [actual].flat(Infinity) as number[];
  const e = [expected].flat(Infinity) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Number.isNaN(e[i])) expect(v).toBeNaN();
    else expect(Math.abs(v - e[i]), `index ${i}: ${v} vs ${e[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e[i])));
  });
}

/** Central finite difference of a scalar function of a flat parameter vector. */
export function finiteDifference(f: (x: number[]) => number, x: number[], h = 1e-3): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}
