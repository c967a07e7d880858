import * as tf from '@tensorflow/tfjs';
import { timeDigitClassifierStep } from '../workloads/digit-classifier-step';
import { buildBackbone } from '../../src/models/backbones/index';
import { chromiumStepRows } from '../workloads/chromium-backbone-step';
import type { BenchRow, BenchSuite } from '../types';

/**
 * One Adam step of Lesson 2's resnet_tiny (He et al.'s CIFAR ResNet, 6n+2
 * layers at 16-32-64 channels) on a batch of 32 digits [32, 28, 28, 1], at
 * the lesson's default depth 20 and the slider's 32, on each backend: Node
 * wasm (the course's training kernels) and cpu, then Chromium wasm and webgl
 * (SwiftShader on machines without a GPU). Chromium's cpu backend is left out:
 * at ~100x wasm one step takes many seconds and says nothing new.
 */
const BATCH = 32;
const SUITE = 'resnet-train-step';

const nodeStep = (backend: 'wasm' | 'cpu', depth: number, reps: number) =>
  timeDigitClassifierStep(backend, () => buildBackbone('resnet_tiny', { depth, seed: 1 }), reps);

const suite: BenchSuite = {
  name: SUITE,
  async run(ctx) {
    const rows: BenchRow[] = [];
    const fastReps = ctx.quick ? 5 : 15;
    // node-cpu takes minutes a step here (~230 s at depth 20 on the shared 2 cores): one rep, depth 20, full runs only.
    const cpuReps = 1;
    const depths = ctx.quick ? [20] : [20, 32];
    const label = (depth: number, params: number) => `resnet_tiny depth ${depth} Adam step [${BATCH},28,28,1] (${params.toLocaleString('en-US')} params)`;
    const names: Record<number, string> = {};
    for (const depth of depths) {
      const wasm = await nodeStep('wasm', depth, fastReps);
      names[depth] = label(depth, wasm.params);
      const cpu = !ctx.quick && depth === 20 ? await nodeStep('cpu', depth, cpuReps) : undefined;
      ctx.log(`${names[depth]}: node wasm ${wasm.median.toFixed(1)} ms (min ${wasm.min.toFixed(1)})${cpu ? `, cpu ${cpu.median.toFixed(0)} ms` : ''}`);
      rows.push({ suite: SUITE, name: names[depth], backend: 'node-wasm', value: wasm.median, unit: 'ms', note: `median of ${fastReps}, min ${wasm.min.toFixed(1)} ms${cpu ? `; ${(cpu.median / wasm.median).toFixed(0)}x faster than node-cpu` : ''}` });
      if (cpu) rows.push({ suite: SUITE, name: names[depth], backend: 'node-cpu', value: cpu.median, unit: 'ms', note: `one step` });
    }
    await tf.setBackend('cpu');

    const cases = depths.map((depth) => ({ name: names[depth]!, backbone: 'resnet_tiny', options: { depth } }));
    rows.push(...(await chromiumStepRows(ctx, SUITE, cases, { wasm: fastReps, webgl: 3 })));
    return rows;
  },
};

export default suite;
