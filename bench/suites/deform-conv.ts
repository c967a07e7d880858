import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../../src/backends/wasm-training';
import { type BenchContext, type BenchRow, type BenchSuite } from '../types';
import { DEFORM_SHAPE, timeDeformConv, type DeformTimes } from '../workloads/deform-conv';

/**
 * core.deformConv2d on the workload, [8, 32, 32, 64] input, 3x3 kernel,
 * 64 output channels, padding 1, random fractional offsets, against tf.conv2d
 * of the same shape (goal: forward within 5x of it on WASM). On wasm also one
 * forward + backward (gradients in input, offset, filter) against conv2d's,
 * as a training step needs them; cpu, the slow reference backend, forward only.
 */
/** The four rows of one backend. */
export function deformRows(backend: string, t: DeformTimes): BenchRow[] {
  const { batch, size, cin, cout, k } = DEFORM_SHAPE;
  const work = `[${batch},${size},${size},${cin}] ${k}x${k} -> ${cout}`;
  const r = (a: number, b: number) => (a / b).toFixed(1);
  const rows: BenchRow[] = [
    { suite: 'deform-conv', name: 'deformConv2d forward', backend, value: t.deform, unit: 'ms', note: `${work}; ${r(t.deform, t.conv)}x tf.conv2d (goal on wasm: <= 5x)` },
    { suite: 'deform-conv', name: 'tf.conv2d forward', backend, value: t.conv, unit: 'ms', note: work },
  ];
  if (Number.isNaN(t.deformGrad)) return rows;
  return [
    ...rows,
    { suite: 'deform-conv', name: 'deformConv2d forward+backward', backend, value: t.deformGrad, unit: 'ms', note: `${work}; gradients in input, offset, filter; ${r(t.deformGrad, t.convGrad)}x conv2d's` },
    { suite: 'deform-conv', name: 'tf.conv2d forward+backward', backend, value: t.convGrad, unit: 'ms', note: `${work}; gradients in input, filter` },
  ];
}

async function onBackend(name: string, ctx: BenchContext): Promise<BenchRow[]> {
  if (!(await tf.setBackend(name))) return [];
  await tf.ready();
  // tfjs's cpu backend (the reference, not a training backend) takes seconds a call here: forward only, fewer runs.
  const t = name === 'cpu' ? await timeDeformConv(ctx.quick ? 1 : 2, false) : await timeDeformConv(ctx.quick ? 2 : 5);
  ctx.log(`deform-conv on node-${name}: deform ${t.deform.toFixed(1)} ms vs conv2d ${t.conv.toFixed(1)} ms; with backward ${t.deformGrad.toFixed(1)} vs ${t.convGrad.toFixed(1)} ms`);
  return deformRows(`node-${name}`, t);
}

const suite: BenchSuite = {
  name: 'deform-conv',
  async run(ctx) {
    const before = tf.getBackend();
    const rows = await onBackend('cpu', ctx);
    try {
      await import('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels();
      rows.push(...(await onBackend('wasm', ctx)));
    } catch (e) {
      ctx.log(`deform-conv: WASM backend unavailable in Node (${(e as Error).message})`);
    }
    if (before) await tf.setBackend(before);
    return rows;
  },
};

export default suite;
