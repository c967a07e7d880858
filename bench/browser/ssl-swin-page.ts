// Bundled by bench/suites/swin.ts and bench/suites/ssl.ts and run in Chromium:
// one MAE-tiny Adam step, and the forward time of one window-attention layer,
// on one backend. The swin_tiny step comes from the generic backbone page.
import * as tf from '@tensorflow/tfjs';
import './backbone-step-page';
import { ssl } from '../../src/models/index';
import { swin } from '../../src/nn/index';

async function median(fn: () => Promise<void>, reps: number, warmup = 2): Promise<{ ms: number; min: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], min: times[0] };
}

async function use(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
}

/** One Adam step of MAE-tiny at 75% masking on [batch, 28, 28, 1]. */
async function runMaeStep(batch: number, backend: string, reps: number): Promise<{ ms: number; min: number; leaked: number; params: number }> {
  await use(backend);
  const before = tf.memory().numTensors;
  const mae = ssl.createMae({ seed: 1 });
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  let k = 0;
  const t = await median(async () => {
    const loss = opt.minimize(() => mae.loss(x, { maskRatio: 0.75, seed: k++ }), true, mae.variables)!;
    await loss.data();
    loss.dispose();
  }, reps);
  const params = mae.countParams();
  x.dispose();
  opt.dispose();
  mae.dispose();
  return { ...t, params, leaked: tf.memory().numTensors - before };
}

/** Forward time of one WindowAttention layer (C channels, one head) on a [1, h, h, C] map; window = h is global attention. */
async function runAttention(backend: string, h: number, window: number, c: number, reps: number): Promise<{ ms: number; min: number; macs: number; leaked: number }> {
  await use(backend);
  const before = tf.memory().numTensors;
  const x = tf.randomNormal([1, h, h, c], 0, 1, 'float32', 2);
  const layer = new swin.WindowAttention({ numHeads: 1, windowSize: window });
  const t = await median(async () => {
    const y = layer.apply(x) as tf.Tensor;
    await y.data();
    y.dispose();
  }, reps);
  const macs = layer.countMacs([1, h, h, c]);
  layer.dispose();
  x.dispose();
  return { ...t, macs, leaked: tf.memory().numTensors - before };
}

Object.assign(globalThis, { runMaeStep, runAttention });
