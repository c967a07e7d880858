import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import { buildBackbone } from '../../src/models/backbones/index';
import type { BenchRow, BenchSuite } from '../types';

/**
 * One Adam step of vit_tiny (Lesson 3's small ViT: dim 64, 4 encoder layers,
 * 4 heads, MLP ratio 2) on a batch of 32 digits [32, 28, 28, 1], on each Node
 * backend: 'wasm' with the course's training kernels and 'cpu'. Two patch
 * sizes: 7 (16 patches + class token) and 4 (49 + 1), the lesson's slider
 * ends; attention's cost grows with the square of the token count.
 */
const BATCH = 32;

async function stepTimes(backend: 'wasm' | 'cpu', patchSize: number, reps: number): Promise<{ median: number; min: number; params: number }> {
  if (backend === 'wasm') {
    if ((await useFastestNodeBackend()) !== 'wasm') throw new Error('wasm backend unavailable');
  } else {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const model = buildBackbone('vit_tiny', { patchSize, seed: 1 });
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10).toFloat());
  const step = async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    await loss.data();
    loss.dispose();
  };
  await step(); // first step: kernel set-up and Adam's slots
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  const params = model.countParams();
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], params };
}

const suite: BenchSuite = {
  name: 'vit-train-step',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const patchSize of [7, 4]) {
      const tokens = (28 / patchSize) ** 2 + 1;
      const wasm = await stepTimes('wasm', patchSize, ctx.quick ? 5 : 15);
      const cpu = await stepTimes('cpu', patchSize, ctx.quick ? 1 : 3);
      const name = `vit_tiny Adam step [${BATCH},28,28,1], patch ${patchSize} (${tokens} tokens, ${wasm.params.toLocaleString('en-US')} params)`;
      ctx.log(`${name}: wasm ${wasm.median.toFixed(1)} ms (min ${wasm.min.toFixed(1)}), cpu ${cpu.median.toFixed(0)} ms`);
      rows.push({ suite: 'vit-train-step', name, backend: 'node-wasm', value: wasm.median, unit: 'ms', note: `median of ${ctx.quick ? 5 : 15}, min ${wasm.min.toFixed(1)} ms; ${(cpu.median / wasm.median).toFixed(0)}x faster than node-cpu` });
      rows.push({ suite: 'vit-train-step', name, backend: 'node-cpu', value: cpu.median, unit: 'ms', note: `median of ${ctx.quick ? 1 : 3}` });
    }
    await tf.setBackend('cpu');
    return rows;
  },
};

export default suite;
