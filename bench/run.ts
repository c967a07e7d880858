/**
 * The bench runner: `npm run bench` (Node with the course's tfjs aliases).
 *
 * Loads every `bench/suites/*.ts`, runs them one after another and prints a
 * Markdown table (suite, name, backend, value, unit, note), then writes
 * `bench/results/latest.md`, `bench/results/latest.json` and a dated copy of
 * both (`bench/results/YYYY-MM-DD.{md,json}`).
 *
 *   BENCH_QUICK=1           smaller workloads (a few minutes in all)
 *   BENCH_ONLY=a,b          only the suites whose name or file name is listed; such a run writes
 *                           `bench/results/suites/<a>+<b>.{md,json}` instead of latest and the dated copy, so runs of
 *                           different suites keep each other's results
 *
 * A suite that throws does not stop the others: its error is listed under the
 * table and the run exits with code 1.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchRow, BenchSuite } from './types';

const here = import.meta.dirname;
const suitesDir = join(here, 'suites');
const resultsDir = join(here, 'results');

/** A suite module as found: the default export should be a BenchSuite; tolerate a few other shapes. */
function asSuite(mod: Record<string, unknown>, file: string): BenchSuite {
  const fallbackName = basename(file, '.ts');
  for (const c of [mod.default, mod.suite, ...Object.values(mod)]) {
    if (c && typeof c === 'object' && typeof (c as BenchSuite).run === 'function') {
      const s = c as BenchSuite;
      return { name: s.name ?? fallbackName, run: s.run.bind(s) };
    }
  }
  if (typeof mod.default === 'function') {
    // a bare `export default async (ctx) => rows`
    const fn = mod.default as (ctx: BenchContext) => Promise<BenchRow[]>;
    return { name: fallbackName, run: (ctx) => fn(ctx) };
  }
  throw new Error(`${file} exports no bench suite (expected \`export default { name, run }\`)`);
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| suite | name | backend | value | unit | note |', '| --- | --- | --- | ---: | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${cell(r.suite)} | ${cell(r.name)} | ${cell(r.backend)} | ${formatValue(r.value)} | ${cell(r.unit)} | ${cell(r.note ?? '')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const files = readdirSync(suitesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const log = (msg: string) => console.error(`  ${msg}`);
  const ctx: BenchContext = { quick, log };

  const rows: BenchRow[] = [];
  const failures: { suite: string; error: string }[] = [];
  const timings: { suite: string; seconds: number }[] = [];
  const started = new Date();
  let ran = 0;
  for (const file of files) {
    let suite: BenchSuite;
    try {
      suite = asSuite(await import(pathToFileURL(join(suitesDir, file)).href), file);
    } catch (e) {
      if (only.length && !only.includes(basename(file, '.ts'))) continue;
      failures.push({ suite: file, error: (e as Error).message });
      console.error(`✗ ${file}: ${(e as Error).message}`);
      continue;
    }
    if (only.length && !only.includes(suite.name) && !only.includes(basename(file, '.ts'))) continue;
    ran++;
    console.error(`▶ ${suite.name}${quick ? ' (quick)' : ''}`);
    const t0 = performance.now();
    try {
      const got = await suite.run(ctx);
      rows.push(...got);
      const seconds = (performance.now() - t0) / 1000;
      timings.push({ suite: suite.name, seconds });
      console.error(`✓ ${suite.name}: ${got.length} rows in ${seconds.toFixed(1)} s`);
    } catch (e) {
      const seconds = (performance.now() - t0) / 1000;
      timings.push({ suite: suite.name, seconds });
      const msg = (e as Error)?.stack?.split('\n').slice(0, 3).join(' ') ?? String(e);
      failures.push({ suite: suite.name, error: msg });
      console.error(`✗ ${suite.name} failed after ${seconds.toFixed(1)} s: ${msg}`);
    }
  }
  if (only.length && ran === 0) {
    console.error(`BENCH_ONLY=${only.join(',')} matched no suite; suites: ${files.map((f) => basename(f, '.ts')).join(', ')}`);
    process.exitCode = 1;
    return;
  }

  const cpu = cpus();
  const machine = `${platform()} ${release()}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
  const table = markdownTable(rows);
  const md = [
    `# Bench results`,
    '',
    `Run ${started.toISOString()}${quick ? ' in quick mode (BENCH_QUICK=1)' : ''}${only.length ? `, only ${only.join(', ')}` : ''}.`,
    `Machine: ${machine}.`,
    '',
    table,
    '',
    `Suite times: ${timings.map((t) => `${t.suite} ${t.seconds.toFixed(0)} s`).join(', ')}.`,
    ...(failures.length ? ['', '## Failed suites', '', ...failures.map((f) => `- **${f.suite}**: ${cell(f.error)}`)] : []),
    '',
  ].join('\n');
  console.log(`\n${table}\n`);
  if (failures.length) console.log(`Failed: ${failures.map((f) => f.suite).join(', ')}`);

  mkdirSync(resultsDir, { recursive: true });
  const json = JSON.stringify({ date: started.toISOString(), quick, only, machine, rows, failures, timings }, null, 2) + '\n';
  const day = started.toISOString().slice(0, 10);
  const targets = only.length ? [join('suites', only.join('+'))] : ['latest', day];
  for (const name of targets) {
    mkdirSync(join(resultsDir, name, '..'), { recursive: true });
    writeFileSync(join(resultsDir, `${name}.md`), md);
    writeFileSync(join(resultsDir, `${name}.json`), json);
  }
  console.error(`wrote ${targets.map((t) => `bench/results/${t}.md, .json`).join('; ')}`);
  if (failures.length) process.exitCode = 1;
}

await main();
// Chromium children, wasm workers or tfjs timers may keep the loop alive.
process.exit(process.exitCode ?? 0);
