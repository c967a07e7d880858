import * as tf from '@tensorflow/tfjs';
import { useFastestNodeBackend } from '../../src/backends/node-backend';
import type { BenchRow, BenchSuite } from '../types';
import { timeExplainMethods } from '../workloads/explain-methods';

/**
 * Lesson 17's methods in Node: each map method of src/explain for one
 * 128x128 image (bench/workloads/explain-methods.ts) on the wasm backend
 * (with the course's training kernels) and the cpu reference.
 */
const suite: BenchSuite = {
  name: 'explain',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const backend of ['wasm', 'cpu'] as const) {
      if (backend === 'wasm') {
        if ((await useFastestNodeBackend()) !== 'wasm') throw new Error('wasm backend unavailable');
      } else await tf.setBackend('cpu');
      const reps = backend === 'cpu' ? 1 : ctx.quick ? 3 : 5;
      const r = await timeExplainMethods(reps);
      for (const row of r.rows) {
        rows.push({ suite: 'explain', name: `${row.method}, one 128x128x3 image`, backend: `node-${backend}`, value: row.ms, unit: 'ms', note: `small CNN 16-32-32 at 128 px, target layer 32x32x32; median of ${reps}${row.leaked ? `; ${row.leaked} tensors left` : ''}` });
        ctx.log(`node-${backend} ${row.method}: ${row.ms.toFixed(1)} ms`);
      }
    }
    await useFastestNodeBackend();
    return rows;
  },
};
export default suite;
