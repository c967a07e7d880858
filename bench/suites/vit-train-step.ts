import * as tf from '@tensorflow/tfjs';
import { timeDigitClassifierStep } from '../workloads/digit-classifier-step';
import { chromiumStepRows } from '../workloads/chromium-backbone-step';
import { buildBackbone } from '../../src/models/backbones/index';
import type { BenchRow, BenchSuite } from '../types';

/**
 * One Adam step of vit_tiny (Lesson 3's small ViT: dim 64, 4 encoder layers,
 * 4 heads, MLP ratio 2) on a batch of 32 digits [32, 28, 28, 1], on each Node
 * backend: 'wasm' with the course's training kernels and 'cpu'. Two patch
 * sizes: 7 (16 patches + class token) and 4 (49 + 1), the lesson's slider
 * ends; attention's cost grows with the square of the token count. Then the
 * same steps in Chromium, wasm and webgl (bench/workloads/chromium-backbone-step.ts).
 */
const BATCH = 32;

const stepTimes = (backend: 'wasm' | 'cpu', patchSize: number, reps: number) =>
  timeDigitClassifierStep(backend, () => buildBackbone('vit_tiny', { patchSize, seed: 1 }), reps);

const suite: BenchSuite = {
  name: 'vit-train-step',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const cases: { name: string; backbone: string; options: { patchSize: number } }[] = [];
    for (const patchSize of [7, 4]) {
      const tokens = (28 / patchSize) ** 2 + 1;
      const wasm = await stepTimes('wasm', patchSize, ctx.quick ? 5 : 15);
      const cpu = await stepTimes('cpu', patchSize, ctx.quick ? 1 : 3);
      const name = `vit_tiny Adam step [${BATCH},28,28,1], patch ${patchSize} (${tokens} tokens, ${wasm.params.toLocaleString('en-US')} params)`;
      ctx.log(`${name}: wasm ${wasm.median.toFixed(1)} ms (min ${wasm.min.toFixed(1)}), cpu ${cpu.median.toFixed(0)} ms`);
      rows.push({ suite: 'vit-train-step', name, backend: 'node-wasm', value: wasm.median, unit: 'ms', note: `median of ${ctx.quick ? 5 : 15}, min ${wasm.min.toFixed(1)} ms; ${(cpu.median / wasm.median).toFixed(0)}x faster than node-cpu` });
      cases.push({ name, backbone: 'vit_tiny', options: { patchSize } });
      rows.push({ suite: 'vit-train-step', name, backend: 'node-cpu', value: cpu.median, unit: 'ms', note: `median of ${ctx.quick ? 1 : 3}` });
    }
    await tf.setBackend('cpu');
    rows.push(...(await chromiumStepRows(ctx, 'vit-train-step', cases, { wasm: ctx.quick ? 5 : 15, webgl: ctx.quick ? 3 : 5 })));
    return rows;
  },
};

export default suite;
