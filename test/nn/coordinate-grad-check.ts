import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { seededValues } from '../../src/util/random';

/** Deterministic values in [-1, 1) from the course's one seeded generator, so a failure reproduces. */
export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((p, d) => p * d, 1), seed), shape);
}

/**
 * Numerical gradient check: the analytic gradient of `loss` with respect to
 * each variable against central differences (f(v + h) - f(v - h)) / 2h at up
 * to `samples` coordinates per variable. In float32, h = 1e-2 keeps the
 * rounding error (~1e-7 / h) and the truncation error (~h^2) both near 1e-4
 * of the gradient's scale, so the bound is 1e-2 of the largest gradient.
 */
export function checkGradients(loss: () => tf.Scalar, vars: tf.Variable[], samples = 12, h = 1e-2, tol = 1e-2): void {
  const { grads, value } = tf.variableGrads(loss, vars);
  value.dispose();
  // One scale for all: a gradient that is zero in exact arithmetic (e.g. the key bias, which shifts
  // every score of a row alike) reads as float noise numerically, judged against the largest gradient.
  let scale = 1e-3;
  for (const v of vars) for (const x of grads[v.name].dataSync()) scale = Math.max(scale, Math.abs(x));
  for (const v of vars) {
    const g = grads[v.name].dataSync();
    const base = v.dataSync().slice();
    const n = base.length;
    const step = Math.max(1, Math.floor(n / samples));
    for (let i = 0; i < n; i += step) {
      const at = (delta: number) => {
        const b = base.slice();
        b[i] += delta;
        tf.tidy(() => v.assign(tf.tensor(b, v.shape)));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(numeric - g[i]), `${v.name}[${i}]: analytic ${g[i]}, numeric ${numeric}`).toBeLessThanOrEqual(tol * scale);
    }
    tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
  }
  tf.dispose(Object.values(grads));
}

/** Weighted sum of `y`, so the gradient is not all ones. */
export function weightedSum(y: tf.Tensor, seed = 99): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(y, rand(y.shape, seed))) as tf.Scalar);
}

/** A trainable variable holding `rand(shape, seed)` (the temporary is freed). */
export function randVar(shape: number[], seed: number, name: string): tf.Variable {
  const t = rand(shape, seed);
  const v = tf.variable(t, true, name);
  t.dispose();
  return v;
}
