/** One row of the bench table. `value` is what was measured, in `unit`. */
export interface BenchRow {
  suite: string;
  name: string;
  /** e.g. 'node-cpu', 'node-wasm', 'chromium-webgl', 'chromium-wasm', 'reference' */
  backend: string;
  value: number;
  unit: string;
  /** free text: target, ratio against a reference, workload size */
  note?: string;
}

export interface BenchContext {
  /** Quick mode runs smaller workloads (BENCH_QUICK=1). */
  quick: boolean;
  log: (msg: string) => void;
}

/** A bench suite: one file in bench/suites/ that default-exports this. */
export interface BenchSuite {
  name: string;
  run: (ctx: BenchContext) => Promise<BenchRow[]>;
}

/** Median wall time in ms of `fn` over `repeats` runs after `warmup` runs. */
export async function timeIt(fn: () => Promise<unknown> | unknown, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
