import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from './static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the served build, e.g. http://127.0.0.1:41234 (no trailing slash). */
    siteUrl: string;
    /** Absolute path of the served build. */
    distDir: string;
  }
}

const root = resolve(import.meta.dirname, '../..');

/** The build the tests serve: `.vitepress/dist`, or VN_DIST (a folder built with `vitepress build --outDir`). */
export function distDir(): string {
  return resolve(root, process.env.VN_DIST ?? '.vitepress/dist');
}

/** Runs `vitepress build` in a child process (it streams its own log), writing to `outDir`. */
function buildSite(outDir: string): Promise<void> {
  const bin = resolve(root, 'node_modules/vitepress/bin/vitepress.js');
  const args = [bin, 'build'];
  if (outDir !== resolve(root, '.vitepress/dist')) args.push('--outDir', outDir);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`vitepress build exited with code ${code}`))));
  });
}

/**
 * Builds the site once for every browser test (unless VN_SKIP_BUILD=1), serves
 * it on a free port and hands its URL to the tests as `inject('siteUrl')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = distDir();
  if (process.env.VN_SKIP_BUILD !== '1') {
    const t0 = performance.now();
    await buildSite(dir);
    console.log(`[browser tests] site built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  if (!existsSync(resolve(dir, 'index.html'))) {
    throw new Error(`No built site in ${dir}: run \`npx vitepress build\`, or unset VN_SKIP_BUILD.`);
  }
  const { url, server } = await serveStatic(dir);
  project.provide('siteUrl', url);
  project.provide('distDir', dir);
  return async () => {
    server.closeAllConnections?.();
    await new Promise<void>((r) => server.close(() => r()));
  };
}
