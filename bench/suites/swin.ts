import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { servePage } from '../browser/serve-page';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { buildBackbone } from '../../src/models/backbones';
import { swin } from '../../src/nn';
import { timeIt, type BenchRow, type BenchSuite } from '../types';

/**
 * Lesson 4's numbers in Node: one Adam step of the digits Swin (`swin_tiny`,
 * batch 32 of 28x28x1) on wasm (with the course's training kernels) and cpu;
 * and the forward time of one window-attention layer against one whose window
 * is the whole map (global attention) as the map grows (C = 32, one head, wasm).
 * Then the same in Chromium on wasm and webgl: the swin_tiny step (the generic
 * backbone page) and the two attention layers (bench/browser/ssl-swin-page.ts).
 */
async function swinStep(backend: 'wasm' | 'cpu', reps: number): Promise<number> {
  if (backend === 'wasm') {
    if ((await useFastestNodeBackend()) !== 'wasm') throw new Error('wasm backend unavailable');
  } else await tf.setBackend('cpu');
  const model = buildBackbone('swin_tiny', { seed: 1 });
  const opt = tf.train.adam(0.001);
  const xs = tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10));
  const step = async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true);
    await loss!.data();
    loss!.dispose();
  };
  const ms = await timeIt(step, reps, 1);
  tf.dispose([xs, ys]);
  opt.dispose();
  model.dispose();
  return ms;
}

const suite: BenchSuite = {
  name: 'swin',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const name = 'swin_tiny Adam step [32,28,28,1]';
    const wasm = await swinStep('wasm', ctx.quick ? 3 : 7);
    rows.push({ suite: 'swin', name, backend: 'node-wasm', value: wasm, unit: 'ms', note: `574,616 params, 8x8 tokens at stage 1; median of ${ctx.quick ? 3 : 7}` });
    const cpu = await swinStep('cpu', ctx.quick ? 1 : 3);
    rows.push({ suite: 'swin', name, backend: 'node-cpu', value: cpu, unit: 'ms', note: `${(cpu / wasm).toFixed(1)}x the wasm step; median of ${ctx.quick ? 1 : 3}` });
    ctx.log(`swin_tiny step: wasm ${wasm.toFixed(0)} ms, cpu ${cpu.toFixed(0)} ms`);

    await useFastestNodeBackend();
    const C = 32;
    for (const h of ctx.quick ? [14, 28] : [14, 28, 42, 56]) {
      const x = tf.randomNormal([1, h, h, C], 0, 1, 'float32', 2);
      for (const [kind, window] of [['global (window = map)', h], ['window M = 7', 7]] as const) {
        const layer = new swin.WindowAttention({ numHeads: 1, windowSize: window });
        const ms = await timeIt(async () => {
          const y = layer.apply(x) as tf.Tensor;
          await y.data();
          y.dispose();
        }, ctx.quick ? 3 : 5, 1);
        const macs = layer.countMacs([1, h, h, C]);
        rows.push({ suite: 'swin', name: `attention ${kind}, ${h}x${h}x${C}`, backend: 'node-wasm', value: ms, unit: 'ms', note: `${(macs / 1e6).toFixed(1)} M MACs (qkv + QK^T + AV + proj)` });
        layer.dispose();
      }
      x.dispose();
    }
    await tf.setBackend('cpu');
    rows.push(...(await chromiumRows(ctx, name, ctx.quick ? [14, 28] : [14, 28, 42, 56])));
    return rows;
  },
};

async function chromiumRows(ctx: Parameters<BenchSuite['run']>[0], stepName: string, sides: number[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let page: Awaited<ReturnType<typeof servePage>>;
  try {
    page = await servePage(join(import.meta.dirname, '../browser/ssl-swin-page.ts'), false);
  } catch (e) {
    ctx.log(`swin: Chromium unavailable (${(e as Error).message}); Node rows only`);
    return rows;
  }
  const failed = (name: string, backend: string, e: unknown): BenchRow => ({ suite: 'swin', name, backend, value: Number.NaN, unit: 'n/a', note: `failed: ${(e as Error).message.split('\n')[0]}` });
  try {
    const p = await page.browser.newPage();
    await p.goto(page.url);
    await p.waitForFunction(() => 'runAttention' in globalThis && 'runBackboneStep' in globalThis);
    for (const backend of ['wasm', 'webgl']) {
      const reps = backend === 'wasm' ? (ctx.quick ? 3 : 7) : 3;
      try {
        const r = (await p.evaluate(([b, n]) => (globalThis as any).runBackboneStep('swin_tiny', {}, 32, b, n), [backend, reps] as const)) as { ms: number; min: number; leaked: number };
        rows.push({ suite: 'swin', name: stepName, backend: `chromium-${backend}`, value: r.ms, unit: 'ms', note: `median of ${reps}, min ${r.min.toFixed(1)} ms` });
        ctx.log(`swin_tiny step chromium-${backend}: ${r.ms.toFixed(0)} ms`);
      } catch (e) {
        rows.push(failed(stepName, `chromium-${backend}`, e));
      }
      for (const h of sides) {
        for (const [kind, window] of [['global (window = map)', h], ['window M = 7', 7]] as const) {
          const name = `attention ${kind}, ${h}x${h}x32`;
          try {
            const r = (await p.evaluate(([b, hh, w, n]) => (globalThis as any).runAttention(b, hh, w, 32, n), [backend, h, window, ctx.quick ? 3 : 5] as const)) as { ms: number; macs: number };
            rows.push({ suite: 'swin', name, backend: `chromium-${backend}`, value: r.ms, unit: 'ms', note: `${(r.macs / 1e6).toFixed(1)} M MACs` });
          } catch (e) {
            rows.push(failed(name, `chromium-${backend}`, e));
          }
        }
      }
    }
    await p.close();
  } finally {
    await page.close();
  }
  return rows;
}
export default suite;
