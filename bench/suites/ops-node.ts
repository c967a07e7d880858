import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import type { BenchRow, BenchSuite } from '../types';

/**
 * Two single ops on every Node backend (cpu, and wasm as the course runs it,
 * with its training kernels): a 512x512 matmul and a 3x3 conv2d of a
 * [8,64,64,16] batch to 32 channels ('same', stride 1). Each figure is the
 * median of several runs after warm-up, and includes the download of the
 * result (`await data()`), which is what a cell pays before it can show it.
 * bench/suites/ops-chromium.ts runs the same workload in Chromium.
 */

export const MATMUL_N = 512;
export const CONV_INPUT = [8, 64, 64, 16] as const;
export const CONV_FILTER = [3, 3, 16, 32] as const;
/** Multiply-adds counted as two flops. */
export const MATMUL_FLOPS = 2 * MATMUL_N ** 3;
export const CONV_FLOPS = 2 * CONV_INPUT[0] * CONV_INPUT[1] * CONV_INPUT[2] * CONV_FILTER[3] * CONV_FILTER[0] * CONV_FILTER[1] * CONV_FILTER[2];

export interface OpTimes {
  /** Median and minimum ms of the matmul, download included. */
  matmul: { median: number; min: number };
  conv2d: { median: number; min: number };
  reps: number;
  warmup: number;
  /** Tensors left behind (should be 0); the caller counts them, around this call. */
  leaked: number;
}

type Tf = typeof tf;

async function timeOne(run: () => tf.Tensor, reps: number, warmup: number): Promise<{ median: number; min: number }> {
  const once = async () => {
    const out = run();
    await out.data();
    out.dispose();
  };
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0] };
}

/**
 * Times the matmul and the conv2d on tf's current backend. Takes the tf
 * namespace so the Chromium page can run the same code on its own bundle.
 */
export async function timeOps(t: Tf, reps: number, warmup = 2): Promise<OpTimes> {
  const a = t.randomUniform([MATMUL_N, MATMUL_N], -1, 1, 'float32', 1);
  const b = t.randomUniform([MATMUL_N, MATMUL_N], -1, 1, 'float32', 2);
  const x = t.randomUniform([...CONV_INPUT], -1, 1, 'float32', 3) as tf.Tensor4D;
  const f = t.randomUniform([...CONV_FILTER], -1, 1, 'float32', 4) as tf.Tensor4D;
  // The inputs are uploaded before timing, as a cell's tensors usually are.
  await Promise.all([a.data(), b.data(), x.data(), f.data()]);
  try {
    const matmul = await timeOne(() => t.matMul(a, b), reps, warmup);
    const conv2d = await timeOne(() => t.conv2d(x, f, 1, 'same'), reps, warmup);
    return { matmul, conv2d, reps, warmup, leaked: 0 };
  } finally {
    t.dispose([a, b, x, f]);
  }
}

const gflops = (flops: number, ms: number) => `${(flops / ms / 1e6).toFixed(1)} GFLOP/s`;

/** The two rows of one backend's times. */
export function opRows(suite: string, backend: string, r: OpTimes, extra = ''): BenchRow[] {
  const how = `median of ${r.reps} after ${r.warmup} warm-up, download (await data()) included`;
  return [
    {
      suite, name: `matmul ${MATMUL_N}x${MATMUL_N}`, backend, value: r.matmul.median, unit: 'ms',
      note: `${gflops(MATMUL_FLOPS, r.matmul.median)}; ${how}; min ${r.matmul.min.toFixed(1)} ms${extra}`,
    },
    {
      suite, name: `conv2d [${CONV_INPUT.join(',')}] * ${CONV_FILTER.slice(0, 2).join('x')}x${CONV_FILTER[2]}x${CONV_FILTER[3]}`, backend, value: r.conv2d.median, unit: 'ms',
      note: `${gflops(CONV_FLOPS, r.conv2d.median)}; 'same', stride 1; ${how}; min ${r.conv2d.min.toFixed(1)} ms${extra}`,
    },
  ];
}

const suite: BenchSuite = {
  name: 'ops-node',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const backend of ['cpu', 'wasm']) {
      if (backend === 'wasm') {
        if ((await useFastestNodeBackend()) !== 'wasm') {
          ctx.log('ops-node: wasm did not start; no wasm rows');
          continue;
        }
      } else {
        await tf.setBackend(backend);
        await tf.ready();
      }
      const reps = backend === 'cpu' ? (ctx.quick ? 3 : 7) : ctx.quick ? 5 : 21;
      const before = tf.memory().numTensors;
      const r = await timeOps(tf, reps, backend === 'cpu' ? 1 : 2);
      r.leaked = tf.memory().numTensors - before;
      if (r.leaked) ctx.log(`ops-node: ${r.leaked} tensor(s) left on ${backend}`);
      ctx.log(`node-${backend}: matmul ${r.matmul.median.toFixed(1)} ms, conv2d ${r.conv2d.median.toFixed(1)} ms`);
      rows.push(...opRows('ops-node', `node-${backend}`, r));
    }
    return rows;
  },
};

export default suite;
