import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * Numerical gradient check of a model (usually one block wrapped in
 * tf.model): the scalar f = sum(model(x) * R) for a fixed random R, its
 * analytic gradient from tf.grad / tf.variableGrads against central finite
 * differences along random directions v: (f(x + eps v) - f(x - eps v)) / 2eps
 * must equal <grad f, v>. Directions instead of one coordinate at a time keep
 * it to a few forward passes while still touching every input and weight.
 * float32 and ReLU pull eps in opposite ways: f's rounding (~1e-7 relative)
 * over 2*eps must stay under the tolerance (eps 1e-4: ~1e-3), while a ReLU
 * input within eps*|v| of its kink moves the quotient by up to |R| there (with
 * BN's unit-variance outputs, eps 1e-2 meets one in most tiny blocks, 1e-4 rarely).
 */
export function checkGradients(
  model: tf.LayersModel,
  x: tf.Tensor,
  { training = true, eps = 1e-4, directions = 3, tolerance = 2e-2, seed = 7 }: { training?: boolean; eps?: number; directions?: number; tolerance?: number; seed?: number } = {},
): void {
  const out = tf.tidy(() => model.apply(x, { training }) as tf.Tensor);
  const r = tf.randomNormal(out.shape, 0, 1, 'float32', seed);
  out.dispose();
  const f = (input: tf.Tensor) => tf.sum(tf.mul(model.apply(input, { training }) as tf.Tensor, r)) as tf.Scalar;
  const value = (input: tf.Tensor) => tf.tidy(() => f(input).dataSync()[0]);

  const inputCheck = (d: number): [number, number] => tf.tidy(() => {
    const v = tf.randomNormal(x.shape, 0, 1, 'float32', seed + 10 + d);
    const g = tf.grad(f)(x);
    const a = tf.sum(tf.mul(g, v)).dataSync()[0];
    const n = (value(tf.add(x, tf.mul(v, eps))) - value(tf.sub(x, tf.mul(v, eps)))) / (2 * eps);
    return [a, n];
  });

  // Every trainable weight at once (one random direction per weight tensor).
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const weightCheck = (d: number): [number, number] => {
    const vs = vars.map((w, i) => tf.randomNormal(w.shape, 0, 1, 'float32', seed + 100 * (d + 1) + i));
    const { grads, value: fv } = tf.variableGrads(() => f(x), vars);
    fv.dispose();
    const analytic = tf.tidy(() => vars.reduce((acc, w, i) => acc + tf.sum(tf.mul(grads[w.name], vs[i])).dataSync()[0], 0));
    tf.dispose(Object.values(grads));
    const originals = vars.map((w) => w.clone());
    const shifted = (sign: number) => {
      vars.forEach((w, i) => {
        const t = tf.tidy(() => tf.add(originals[i], tf.mul(vs[i], sign * eps)));
        w.assign(t);
        t.dispose();
      });
      return value(x);
    };
    const numeric = (shifted(1) - shifted(-1)) / (2 * eps);
    vars.forEach((w, i) => w.assign(originals[i]));
    tf.dispose([...originals, ...vs]);
    return [analytic, numeric];
  };

  const checks = vars.length > 0 ? ([['input', inputCheck], ['weights', weightCheck]] as const) : ([['input', inputCheck]] as const);
  for (const [what, check] of checks) {
    // A direction whose segment crosses a ReLU kink gives a wrong quotient however
    // right the gradient is; draw up to twice as many directions as must pass.
    // A wrong gradient fails (nearly) every direction, so this keeps the test's power.
    const misses: string[] = [];
    let passed = 0;
    for (let d = 0; d < 2 * directions && passed < directions; d++) {
      const [a, n] = check(d);
      if (relativeError(a, n) < tolerance) passed++;
      else misses.push(`analytic ${a.toPrecision(6)} vs numeric ${n.toPrecision(6)}`);
    }
    expect(passed, `d f / d ${what}: ${passed} of ${directions} directions agree; misses: ${misses.join('; ')}`).toBe(directions);
  }
  r.dispose();
}

/** Error relative to the larger magnitude (at least 1, so near-zero derivatives compare absolutely). */
function relativeError(analytic: number, numeric: number): number {
  return Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic), Math.abs(numeric));
}

/** Wraps a block builder as a model on a fixed input shape (batch excluded). */
export function blockModel(shape: number[], build: (x: tf.SymbolicTensor) => tf.SymbolicTensor): tf.LayersModel {
  const input = tf.input({ shape });
  return tf.model({ inputs: input, outputs: build(input) });
}
