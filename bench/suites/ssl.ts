import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { ssl } from '../../src/models';
import { servePage } from '../browser/serve-page';
import { timeIt, type BenchRow, type BenchSuite } from '../types';

/**
 * Lesson 5's training step: one Adam step of MAE-tiny (`ssl.createMae()`, 49
 * patches of 4x4, 75% masked so the encoder runs on 12 tokens) on a batch of
 * 32 digits, on Node wasm (the course's training kernels) and cpu, then in
 * Chromium on wasm and webgl (SwiftShader without a GPU).
 */
const SUITE = 'ssl';
const BATCH = 32;

async function nodeMaeStep(backend: 'wasm' | 'cpu', reps: number): Promise<{ ms: number; params: number }> {
  if (backend === 'wasm') {
    if ((await useFastestNodeBackend()) !== 'wasm') throw new Error('wasm backend unavailable');
  } else await tf.setBackend('cpu');
  const mae = ssl.createMae({ seed: 1 });
  const opt = tf.train.adam(1e-3);
  const xs = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  let k = 0;
  const ms = await timeIt(async () => {
    const loss = opt.minimize(() => mae.loss(xs, { maskRatio: 0.75, seed: k++ }), true, mae.variables)!;
    await loss.data();
    loss.dispose();
  }, reps, 1);
  const params = mae.countParams();
  xs.dispose();
  opt.dispose();
  mae.dispose();
  return { ms, params };
}

const suite: BenchSuite = {
  name: SUITE,
  async run(ctx) {
    const rows: BenchRow[] = [];
    const wasm = await nodeMaeStep('wasm', ctx.quick ? 3 : 9);
    const name = `MAE-tiny Adam step [${BATCH},28,28,1], 75% masked (${wasm.params.toLocaleString('en-US')} params)`;
    rows.push({ suite: SUITE, name, backend: 'node-wasm', value: wasm.ms, unit: 'ms', note: `median of ${ctx.quick ? 3 : 9}` });
    const cpu = await nodeMaeStep('cpu', ctx.quick ? 1 : 3);
    rows.push({ suite: SUITE, name, backend: 'node-cpu', value: cpu.ms, unit: 'ms', note: `${(cpu.ms / wasm.ms).toFixed(1)}x the wasm step` });
    ctx.log(`${name}: node wasm ${wasm.ms.toFixed(0)} ms, cpu ${cpu.ms.toFixed(0)} ms`);
    await tf.setBackend('cpu');
    let page: Awaited<ReturnType<typeof servePage>>;
    try {
      page = await servePage(join(import.meta.dirname, '../browser/ssl-swin-page.ts'), false);
    } catch (e) {
      ctx.log(`${SUITE}: Chromium unavailable (${(e as Error).message}); Node rows only`);
      return rows;
    }
    try {
      const p = await page.browser.newPage();
      await p.goto(page.url);
      await p.waitForFunction(() => 'runMaeStep' in globalThis);
      for (const backend of ['wasm', 'webgl']) {
        const reps = backend === 'wasm' ? (ctx.quick ? 3 : 9) : 3;
        try {
          const r = (await p.evaluate(([b, n]) => (globalThis as any).runMaeStep(32, b, n), [backend, reps] as const)) as { ms: number; min: number; leaked: number };
          rows.push({ suite: SUITE, name, backend: `chromium-${backend}`, value: r.ms, unit: 'ms', note: `median of ${reps}, min ${r.min.toFixed(1)} ms, ${r.leaked} tensors leaked` });
          ctx.log(`chromium-${backend}: ${r.ms.toFixed(0)} ms`);
        } catch (e) {
          rows.push({ suite: SUITE, name, backend: `chromium-${backend}`, value: Number.NaN, unit: 'n/a', note: `failed: ${(e as Error).message.split('\n')[0]}` });
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
