import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../test/browser/chromium';
import { serveStatic } from '../../test/browser/static-server';
import type { BenchRow, BenchSuite } from '../types';

/**
 * The built site in headless Chromium, as a reader meets it: for every lesson
 * page, the time from navigation to the first fulfilled cell and to every cell
 * settled, and the JavaScript shipped until then (gzip size of every .js file
 * the page loaded); and a check that pages without cells (the home page)
 * load no tfjs; and, warm, what a revisit and a second lesson fetch over the
 * network once the service worker (public/sw.js) holds the files. Needs
 * `.vitepress/dist` (or VN_DIST); builds it if missing. BENCH_PAGES limits the lessons.
 */

const root = resolve(import.meta.dirname, '../..');

/** Strings only tfjs-core / its backends contain (flag names and the kernel registry). */
const TFJS_MARKERS = ['tfjsflags', 'registerKernel', 'WEBGL_VERSION'];

/** The foundation's target: a lesson's first output within 1.5 s of navigation. */
const FIRST_OUTPUT_TARGET_MS = 1500;

function build(outDir: string): Promise<void> {
  const args = [resolve(root, 'node_modules/vitepress/bin/vitepress.js'), 'build'];
  if (outDir !== resolve(root, '.vitepress/dist')) args.push('--outDir', outDir);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`vitepress build exited with ${code}`))));
  });
}

interface Visit {
  firstFulfilledMs: number | null;
  firstFigureMs: number | null;
  settledMs: number;
  cells: number;
  rejected: number;
  jsGzipBytes: number;
  jsFiles: number;
  /** Bytes of every response that came over the network (not from the service worker's cache), page and worker; text counted gzipped. */
  networkBytes: number;
  tfjsChunks: string[];
  backend: string;
}

/** In-page timer: records (ms since navigation start) the first fulfilled cell and the last time all cells became settled. */
// A string, not a function: tsx would wrap named functions in a `__name` helper the page does not have.
const INIT = `(() => {
  const bench = (window.__vnBench = { first: null, figure: null, settled: null });
  // A figure: what a reader sees as output (a picture, chart, table or input), not a helper's value.
  const FIGURE = 'img, canvas, svg, table, input, select, progress';
  let was = false;
  const check = () => {
    const cells = [...document.querySelectorAll('.vn-cell')];
    if (bench.first === null && cells.some((c) => c.getAttribute('data-state') === 'fulfilled')) bench.first = performance.now();
    if (bench.figure === null && cells.some((c) => c.getAttribute('data-state') === 'fulfilled' && c.querySelector('.vn-cell-output')?.querySelector(FIGURE))) bench.figure = performance.now();
    const settled = cells.every((c) => {
      const s = c.getAttribute('data-state');
      return s === 'fulfilled' || s === 'rejected' || (s === 'idle' && !!c.querySelector('.vn-cell-norun'));
    });
    if (settled && !was) bench.settled = performance.now();
    was = settled;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  document.addEventListener('DOMContentLoaded', check);
})();`;

async function visit(page: Page, url: string, timeout: number, networkIdle = false): Promise<Visit> {
  const bodies: Promise<{ url: string; body: Buffer } | null>[] = [];
  let settled = false;
  const onResponse = (r: import('playwright-core').Response) => {
    if (settled) return;
    const u = r.url();
    const type = r.headers()['content-type'] ?? '';
    if (r.status() !== 200 || !(/\.m?js(\?|$)/.test(u) || type.includes('javascript'))) return;
    bodies.push(r.body().then((body) => ({ url: u, body }), () => null));
  };
  page.on('response', onResponse);
  const network: Promise<number>[] = [];
  const onAnyResponse = (r: import('playwright-core').Response) => {
    if (settled || r.fromServiceWorker() || !/^https?:/.test(r.url())) return;
    // Counted as a gzip-serving static host sends them: text compressed, binaries as they are.
    const text = /text|javascript|json|css|svg|xml/.test(r.headers()['content-type'] ?? '');
    network.push(r.body().then((b) => (text ? gzipSync(b).length : b.length), () => 0));
  };
  page.context().on('response', onAnyResponse);
  await page.goto(url, { timeout });
  // wait until settled and stable for 1 s (a fulfilled cell can make a downstream one pending again)
  const deadline = Date.now() + timeout;
  let stableSince = 0;
  for (;;) {
    const s = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('.vn-cell')];
      return cells.every((c) => {
        const st = c.getAttribute('data-state');
        return st === 'fulfilled' || st === 'rejected' || (st === 'idle' && !!c.querySelector('.vn-cell-norun'));
      });
    });
    if (s) {
      stableSince ||= Date.now();
      if (Date.now() - stableSince > 1000) break;
    } else stableSince = 0;
    if (Date.now() > deadline) throw new Error(`${url}: cells did not settle in ${timeout / 1000} s`);
    await page.waitForTimeout(100);
  }
  if (networkIdle) await page.waitForLoadState('networkidle', { timeout });
  settled = true;
  page.off('response', onResponse);
  page.context().off('response', onAnyResponse);
  const networkBytes = (await Promise.all(network)).reduce((a, b) => a + b, 0);
  const timings = await page.evaluate(() => (window as unknown as { __vnBench: { first: number | null; figure: number | null; settled: number | null } }).__vnBench);
  const cells = await page.$$eval('.vn-cell', (cs) => cs.map((c) => c.getAttribute('data-state')));
  const backend = await page.evaluate(() => (window as unknown as { __visionNotebook?: { tf: { getBackend(): string } } }).__visionNotebook?.tf.getBackend() ?? 'none');
  const files = (await Promise.all(bodies)).filter((b): b is { url: string; body: Buffer } => b !== null);
  const seen = new Set<string>();
  let jsGzipBytes = 0;
  const tfjsChunks: string[] = [];
  for (const f of files) {
    if (seen.has(f.url)) continue;
    seen.add(f.url);
    jsGzipBytes += gzipSync(f.body, { level: 9 }).length;
    const text = f.body.toString('utf8');
    if (TFJS_MARKERS.some((m) => text.includes(m))) tfjsChunks.push(f.url.split('/').pop() ?? f.url);
  }
  return {
    firstFulfilledMs: timings.first,
    firstFigureMs: timings.figure,
    settledMs: timings.settled ?? 0,
    cells: cells.length,
    rejected: cells.filter((s) => s === 'rejected').length,
    jsGzipBytes,
    jsFiles: seen.size,
    networkBytes,
    tfjsChunks,
    backend,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const suite: BenchSuite = {
  name: 'pages-chromium',
  async run(ctx) {
    const dist = resolve(root, process.env.VN_DIST ?? '.vitepress/dist');
    if (!existsSync(join(dist, 'index.html'))) {
      ctx.log(`pages-chromium: no build in ${dist}; building (about a minute)`);
      await build(dist);
    }
    const lessons = existsSync(join(dist, 'lessons'))
      ? readdirSync(join(dist, 'lessons'), { withFileTypes: true })
          .filter((e) => e.isDirectory() && existsSync(join(dist, 'lessons', e.name, 'index.html')))
          .map((e) => e.name)
          .sort()
      : [];
    // BENCH_PAGES=06-boxes-iou-nms,07-evaluating-detectors: only these lessons (the default is every built lesson).
    const chosen = (process.env.BENCH_PAGES ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    if (chosen.length) lessons.splice(0, lessons.length, ...lessons.filter((l) => chosen.includes(l)));
    const repeats = ctx.quick ? 1 : 3;
    const timeout = 180_000;
    const { url, server } = await serveStatic(dist);
    const browser = await launchChromium();
    const rows: BenchRow[] = [];
    try {
      const fresh = async () => {
        // a fresh context each time: empty cache and storage, as on a first visit
        const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
        await context.addInitScript({ content: INIT });
        return { context, page: await context.newPage() };
      };
      for (const lesson of lessons) {
        const visits: Visit[] = [];
        for (let i = 0; i < repeats; i++) {
          const { context, page } = await fresh();
          try {
            visits.push(await visit(page, `${url}/lessons/${lesson}/index.html`, timeout));
          } finally {
            await context.close();
          }
        }
        const v = visits[0];
        const backend = `chromium-${v.backend}`;
        const of = `${v.cells} cells${v.rejected ? `, ${v.rejected} rejected` : ''}; median of ${repeats}`;
        const firsts = visits.map((x) => x.firstFulfilledMs).filter((x): x is number => x !== null);
        const target = (ms: number) => `${ms <= FIRST_OUTPUT_TARGET_MS ? 'OK' : 'OVER'} (target ${FIRST_OUTPUT_TARGET_MS} ms)`;
        if (firsts.length) rows.push({ suite: 'pages-chromium', name: `${lesson}: first cell fulfilled`, backend, value: median(firsts), unit: 'ms', note: `${target(median(firsts))}; from navigation; ${of}` });
        const figures = visits.map((x) => x.firstFigureMs).filter((x): x is number => x !== null);
        if (figures.length) rows.push({ suite: 'pages-chromium', name: `${lesson}: first figure shown`, backend, value: median(figures), unit: 'ms', note: `${target(median(figures))}; first fulfilled cell showing a picture, chart, table or input; median of ${repeats}` });
        rows.push({ suite: 'pages-chromium', name: `${lesson}: all cells settled`, backend, value: median(visits.map((x) => x.settledMs)), unit: 'ms', note: `from navigation; ${of}` });
        rows.push({ suite: 'pages-chromium', name: `${lesson}: JS shipped until settled`, backend, value: v.jsGzipBytes / 1024, unit: 'KiB gzip', note: `${v.jsFiles} .js files` });
        ctx.log(`pages-chromium: ${lesson} on ${v.backend}: first ${firsts[0]?.toFixed(0)} ms, settled ${v.settledMs.toFixed(0)} ms, ${(v.jsGzipBytes / 1024).toFixed(0)} KiB gzip JS, ${v.rejected}/${v.cells} cells rejected`);
      }
      // Warm cache: a reader who has been here before. One context visits a lesson (the service worker installs and
      // keeps what the page loaded), then revisits it and opens the next lesson, counting what crossed the network.
      for (let i = 0; i < lessons.length; i++) {
        const lesson = lessons[i];
        const next = lessons[(i + 1) % lessons.length];
        const { context, page } = await fresh();
        try {
          const cold = await visit(page, `${url}/lessons/${lesson}/index.html`, timeout);
          await page.evaluate(() => navigator.serviceWorker?.ready.then((r) => r.active?.postMessage({ type: 'cache-loaded', urls: performance.getEntriesByType('resource').map((e) => e.name) })));
          await page.waitForTimeout(2000);
          // A reader's page asks for the rest of the course in the background 15 s after load; here we ask at once
          // and wait for it, as for a reader who has spent that long on the first lesson.
          const precacheStart = Date.now();
          const precached = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => new Promise<{ type: string; files?: number; fetched?: number; bytes?: number; message?: string }>((done) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (e) => done(e.data);
            r.active!.postMessage({ type: 'precache' }, [channel.port2]);
          })));
          if (precached.type !== 'precached') throw new Error(`pages-chromium: the background download failed: ${precached.message}`);
          if (i === 0) rows.push({ suite: 'pages-chromium', name: `background download of the course after a first visit (${lesson})`, backend: 'chromium', value: (precached.bytes ?? 0) / 1024 / 1024, unit: 'MiB', note: `${precached.fetched} of ${precached.files} files not yet cached, in ${((Date.now() - precacheStart) / 1000).toFixed(1)} s from localhost` });
          const warm = await visit(page, `${url}/lessons/${lesson}/index.html`, timeout);
          const backend = `chromium-${warm.backend}`;
          rows.push({ suite: 'pages-chromium', name: `${lesson}: bytes over the network, cold`, backend, value: cold.networkBytes / 1024, unit: 'KiB', note: 'first visit, empty cache: every file the page loads until its cells settle' });
          rows.push({ suite: 'pages-chromium', name: `${lesson}: bytes over the network, warm revisit`, backend, value: warm.networkBytes / 1024, unit: 'KiB', note: 'the same page again, service worker active' });
          if (warm.firstFigureMs !== null) rows.push({ suite: 'pages-chromium', name: `${lesson}: first figure shown, warm`, backend, value: warm.firstFigureMs, unit: 'ms', note: `${warm.firstFigureMs <= 1000 ? 'OK' : 'OVER'} (target 1000 ms warm)` });
          rows.push({ suite: 'pages-chromium', name: `${lesson}: all cells settled, warm`, backend, value: warm.settledMs, unit: 'ms', note: `${warm.cells} cells` });
          if (next !== lesson) {
            const second = await visit(page, `${url}/lessons/${next}/index.html`, timeout);
            rows.push({ suite: 'pages-chromium', name: `${next}: bytes over the network as the second lesson (after ${lesson})`, backend, value: second.networkBytes / 1024, unit: 'KiB', note: `${second.networkBytes <= 200 * 1024 ? 'OK' : 'OVER'} (target < 200 KB)` });
          }
        } finally {
          await context.close();
        }
      }
      // Pages without cells must not pay for tfjs.
      const { context, page } = await fresh();
      try {
        const home = await visit(page, `${url}/index.html`, timeout, true);
        const ok = home.cells === 0 && home.tfjsChunks.length === 0;
        rows.push({
          suite: 'pages-chromium',
          name: 'home page (no cells): JS chunks containing tfjs',
          backend: 'chromium',
          value: home.tfjsChunks.length,
          unit: 'chunks',
          note: `${ok ? 'OK' : 'FAIL'}: ${home.tfjsChunks.length ? home.tfjsChunks.join(', ') : 'no loaded .js contains ' + TFJS_MARKERS.join('/')}`,
        });
        rows.push({ suite: 'pages-chromium', name: 'home page (no cells): JS shipped', backend: 'chromium', value: home.jsGzipBytes / 1024, unit: 'KiB gzip', note: `${home.jsFiles} .js files` });
        if (!ok) ctx.log(`pages-chromium: the home page loaded tfjs: ${home.tfjsChunks.join(', ')}`);
      } finally {
        await context.close();
      }
    } finally {
      await browser.close();
      server.closeAllConnections?.();
      server.close();
    }
    return rows;
  },
};

export default suite;
