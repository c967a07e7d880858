import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { buildNeck, type NeckOptions } from '../../../src/models/necks/index';

/** A small stage-map pyramid: C2..C5 at 16, 8, 4, 2 cells with 4, 8, 16, 32 channels (a 64-px input at strides 4..32). */
export const SMALL_PYRAMID: [number, number, number][] = [
  [16, 16, 4],
  [8, 8, 8],
  [4, 4, 16],
  [2, 2, 32],
];

/** The neck `name` on symbolic inputs of `shapes`, as one tf.LayersModel. */
export function neckModel(name: string, shapes: [number, number, number][], options: Partial<NeckOptions> = {}): tf.LayersModel {
  const inputs = shapes.map((s) => tf.input({ shape: s }));
  const outputs = buildNeck(name, inputs, { channels: 8, name: 'n', seed: 1, ...options });
  return tf.model({ inputs, outputs });
}

/**
 * A tiny trainable check: loss = Σ_levels Σ out · r (r fixed random), gradients in training mode
 * (BatchNorm on batch statistics); every trainable weight must get a finite, non-zero gradient,
 * and the tensor count returns to where it started.
 */
export function expectGradientsReachEveryWeight(model: tf.LayersModel): void {
  const before = tf.memory().numTensors;
  const xs = model.inputs.map((inp, i) => tf.randomUniform([2, ...(inp.shape.slice(1) as number[])], -1, 1, 'float32', 10 + i));
  const rs = model.outputs.map((o, i) => tf.randomUniform([2, ...(o.shape.slice(1) as number[])], -1, 1, 'float32', 20 + i));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const outs = model.apply(xs, { training: true }) as tf.Tensor[];
    return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, rs[i])))) as tf.Scalar;
  }, vars);
  expect(Number.isFinite(value.dataSync()[0])).toBe(true);
  expect(vars.length).toBeGreaterThan(0);
  for (const v of vars) {
    const g = grads[v.name];
    expect(g, v.name).toBeDefined();
    const norm = tf.tidy(() => tf.sum(tf.abs(g)).dataSync()[0]);
    expect(Number.isFinite(norm) && norm > 0, `${v.name}: |grad| = ${norm}`).toBe(true);
  }
  tf.dispose([value, ...Object.values(grads), ...xs, ...rs]);
  expect(tf.memory().numTensors).toBe(before);
}

/** Runs the model on ones and returns the output shapes, freeing everything. */
export function outputShapes(model: tf.LayersModel, batch = 1): number[][] {
  const xs = model.inputs.map((inp) => tf.ones([batch, ...(inp.shape.slice(1) as number[])]));
  const ys = model.predict(xs) as tf.Tensor[];
  const shapes = ys.map((y) => y.shape);
  tf.dispose([...xs, ...ys]);
  return shapes;
}
