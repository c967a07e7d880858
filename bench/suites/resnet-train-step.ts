import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { timeDigitClassifierStep } from '../workloads/digit-classifier-step';
import { buildBackbone } from '../../src/models/backbones/index';
import { servePage } from '../browser/serve-page';
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

    let page: Awaited<ReturnType<typeof servePage>>;
    try {
      page = await servePage(join(import.meta.dirname, '../browser/backbone-step-page.ts'), false);
    } catch (e) {
      ctx.log(`${SUITE}: Chromium unavailable (${(e as Error).message}); Node rows only`);
      return rows;
    }
    try {
      const p = await page.browser.newPage();
      await p.goto(page.url);
      await p.waitForFunction(() => 'runBackboneStep' in globalThis);
      const renderer = (await p.evaluate(() => (globalThis as any).detectSoftwareRenderer())) as { webgl?: string };
      for (const depth of depths) {
        for (const backend of ['wasm', 'webgl']) {
          const reps = backend === 'wasm' ? fastReps : 3;
          try {
            const r = (await p.evaluate(
              ([d, b, n]) => (globalThis as any).runBackboneStep('resnet_tiny', { depth: d }, 32, b, n),
              [depth, backend, reps] as const,
            )) as { ms: number; min: number; leaked: number };
            const extra = backend === 'webgl' ? `renderer ${renderer.webgl ?? 'unknown'}; ` : '';
            ctx.log(`chromium-${backend} depth ${depth}: ${r.ms.toFixed(1)} ms (leaked ${r.leaked})`);
            rows.push({ suite: SUITE, name: names[depth], backend: `chromium-${backend}`, value: r.ms, unit: 'ms', note: `${extra}median of ${reps}, min ${r.min.toFixed(1)} ms` });
          } catch (e) {
            rows.push({ suite: SUITE, name: names[depth], backend: `chromium-${backend}`, value: Number.NaN, unit: 'n/a', note: `failed: ${(e as Error).message.split('\n')[0]}` });
          }
        }
      }
      await p.close();
    } finally {
      await page.close();
    }
    return rows;
  },
};

export default suite;
