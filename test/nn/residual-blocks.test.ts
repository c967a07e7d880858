import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { basicBlock } from '../../src/nn/basic-block';
import { bottleneckBlock } from '../../src/nn/bottleneck-block';
import { blockModel, checkGradients } from './grad-check';

type Builder = (x: tf.SymbolicTensor, shortcut: boolean) => tf.SymbolicTensor;

/** A block as a model whose outputs are [the tensor fed to the final ReLU, the block output]. */
function twin(shape: number[], build: Builder, shortcut: boolean, preName: string): tf.LayersModel {
  const input = tf.input({ shape });
  const out = build(input, shortcut);
  const probe = tf.model({ inputs: input, outputs: out });
  const pre = probe.getLayer(preName).output as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [pre, out] });
}

/** Plain and residual twins: same layers but the shortcut's, same weights; pre-ReLU outputs differ by exactly the shortcut. */
function comparePlainAndResidual(shape: number[], build: Builder, lastBn: string, name: string, projection: boolean) {
  const base = tf.memory().numTensors;
  const res = twin(shape, build, true, `${name}_add`);
  const plain = twin(shape, build, false, lastBn);
  const weighted = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
  const extra = weighted(res).filter((n) => !weighted(plain).includes(n)).sort();
  expect(extra).toEqual(projection ? [`${name}_add`, `${name}_down_bn`, `${name}_down_conv`] : [`${name}_add`]);
  expect(weighted(plain).every((n) => weighted(res).includes(n))).toBe(true);
  // Same weights in the shared layers (the same seed gives them already; copying makes the test not depend on it).
  for (const l of plain.layers) if (l.weights.length > 0) res.getLayer(l.name).setWeights(l.getWeights());
  tf.tidy(() => {
    const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 5);
    const [resPre, resOut] = res.predict(x) as tf.Tensor[];
    const [plainPre, plainOut] = plain.predict(x) as tf.Tensor[];
    // The shortcut: x itself, or the projection's output (read from the residual model).
    const shortcutValue = projection
      ? (tf.model({ inputs: res.inputs, outputs: res.getLayer(`${name}_down_bn`).output as tf.SymbolicTensor }).predict(x) as tf.Tensor)
      : x;
    const maxAbs = (t: tf.Tensor) => tf.max(tf.abs(t)).dataSync()[0];
    // (F(x) + s) - F(x) = s up to float32 rounding of the sum (|F| ~ 1: ~1e-7).
    expect(maxAbs(tf.sub(tf.sub(resPre, plainPre), shortcutValue))).toBeLessThan(1e-5);
    expect(maxAbs(tf.sub(resOut, tf.relu(tf.add(plainPre, shortcutValue))))).toBeLessThan(1e-5);
    // And the plain output is the ReLU of F(x) alone.
    expect(maxAbs(tf.sub(plainOut, tf.relu(plainPre)))).toBe(0);
    expect(maxAbs(shortcutValue)).toBeGreaterThan(0.1);
  });
  res.dispose();
  plain.dispose();
  expect(tf.memory().numTensors).toBe(base);
}

describe('basicBlock', () => {
  it('keeps the shape at stride 1 and halves it at stride 2, with the hand-counted parameters', () => {
    const m = blockModel([8, 8, 4], (x) => basicBlock(x, { filters: 4, name: 'b' }));
    expect(m.outputs[0].shape).toEqual([null, 8, 8, 4]);
    // two 3x3 convs 4->4 without bias + two BNs (gamma, beta, mean, var)
    expect(m.countParams()).toBe(2 * (9 * 4 * 4) + 2 * 4 * 4);
    m.dispose();
    const s = blockModel([8, 8, 4], (x) => basicBlock(x, { filters: 8, strides: 2, name: 'b' }));
    expect(s.outputs[0].shape).toEqual([null, 4, 4, 8]);
    // 3x3 4->8, 3x3 8->8, projection 1x1 4->8, three BNs of 8
    expect(s.countParams()).toBe(9 * 4 * 8 + 9 * 8 * 8 + 4 * 8 + 3 * 4 * 8);
    s.dispose();
  });

  it('plain and residual twins differ only by the shortcut (identity and projection)', () => {
    comparePlainAndResidual([6, 6, 4], (x, shortcut) => basicBlock(x, { filters: 4, shortcut, name: 'b', seed: 1 }), 'b_2_bn', 'b', false);
    comparePlainAndResidual([6, 6, 4], (x, shortcut) => basicBlock(x, { filters: 8, strides: 2, shortcut, name: 'b', seed: 1 }), 'b_2_bn', 'b', true);
  });

  it('passes a numerical gradient check, with and without the shortcut', () => {
    const base = tf.memory().numTensors;
    for (const [shortcut, strides] of [[true, 1], [true, 2], [false, 1]] as const) {
      const m = blockModel([5, 5, 3], (x) => basicBlock(x, { filters: 3, strides, shortcut, name: 'g', seed: 2 }));
      const x = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 4);
      checkGradients(m, x);
      x.dispose();
      m.dispose();
    }
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('bottleneckBlock', () => {
  it('expands to filters * 4 and strides on the 3x3 (torchvision v1.5), with the hand-counted parameters', () => {
    const m = blockModel([8, 8, 16], (x) => bottleneckBlock(x, { filters: 4, strides: 2, name: 'n' }));
    expect(m.outputs[0].shape).toEqual([null, 4, 4, 16]);
    // 1x1 16->4, 3x3 4->4, 1x1 4->16, projection 1x1 16->16 (stride 2); BNs 4, 4, 16, 16
    expect(m.countParams()).toBe(16 * 4 + 9 * 4 * 4 + 4 * 16 + 16 * 16 + 4 * (4 + 4 + 16 + 16));
    expect((m.getLayer('n_2_conv') as unknown as { strides: number[] }).strides).toEqual([2, 2]);
    expect((m.getLayer('n_1_conv') as unknown as { strides: number[] }).strides).toEqual([1, 1]);
    m.dispose();
  });

  it('plain and residual twins differ only by the shortcut (identity and projection)', () => {
    comparePlainAndResidual([6, 6, 8], (x, shortcut) => bottleneckBlock(x, { filters: 2, shortcut, name: 'n', seed: 1 }), 'n_3_bn', 'n', false);
    comparePlainAndResidual([6, 6, 4], (x, shortcut) => bottleneckBlock(x, { filters: 2, strides: 2, shortcut, name: 'n', seed: 1 }), 'n_3_bn', 'n', true);
  });

  it('passes a numerical gradient check', () => {
    const base = tf.memory().numTensors;
    const m = blockModel([4, 4, 4], (x) => bottleneckBlock(x, { filters: 2, expansion: 2, strides: 2, name: 'g', seed: 3 }));
    const x = tf.randomNormal([2, 4, 4, 4], 0, 1, 'float32', 6);
    checkGradients(m, x);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
