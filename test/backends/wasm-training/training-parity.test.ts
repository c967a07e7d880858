import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmWithKernels } from './compare';
import { curveGap, trainingWorkloads } from '../../../bench/workloads/training-workloads';

// The claim under test: training on 'wasm' follows the same loss curve as on
// tfjs's CPU backend (the reference), step for step, for the model shapes the
// course trains. Same seeded initial weights, same data, no shuffling; the
// only difference is float summation order: measured gaps are ~1e-6.
const CURVE_TOL = 1e-4;

async function lossesOn(name: string, train: () => Promise<number[]>): Promise<number[]> {
  await tf.setBackend(name);
  const before = tf.memory().numTensors;
  const buffers = () => (tf.backend() as unknown as { numDataIds: () => number }).numDataIds();
  const buffersBefore = buffers();
  const losses = await train();
  expect(tf.memory().numTensors).toBe(before);
  // Scratch buffers our kernels allocate in wasm memory are freed too.
  expect(buffers()).toBe(buffersBefore);
  return losses;
}

describe('training on wasm follows the CPU loss curve', () => {
  beforeAll(useWasmWithKernels);

  const names: Record<keyof typeof trainingWorkloads, string> = {
    smallCnnFit: 'small CNN (conv 16-32-64, max-pool, GAP, dense) with model.fit',
    resnetBlock: 'ResNet-style block (conv-BN-ReLU-conv-BN + identity, stride-2 projection) in a custom loop',
    detectorHead: 'detector head (stride-2 + depthwise-separable backbone, focal loss, L1 on gathered positives)',
  };
  for (const key of Object.keys(trainingWorkloads) as (keyof typeof trainingWorkloads)[]) {
    it(names[key], async () => {
      const cpu = await lossesOn('cpu', trainingWorkloads[key]);
      const wasm = await lossesOn('wasm', trainingWorkloads[key]);
      expect(curveGap(wasm, cpu)).toBeLessThan(CURVE_TOL);
      // It is a training curve, not a flat line.
      expect(cpu[cpu.length - 1]).toBeLessThan(cpu[0]);
    });
  }

  it('curveGap is the step-wise relative difference', () => {
    // |2.2 - 2.0| / 2.0 = 0.1 at step 2; step 1 identical.
    expect(curveGap([1, 2.2], [1, 2])).toBeCloseTo(0.1, 10);
    expect(curveGap([1, NaN], [1, 2])).toBe(Infinity);
  });
});
