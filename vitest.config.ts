import { defineConfig } from 'vitest/config';
import { nodeTfAliases } from './scripts/node-tf-aliases';

// Unit tests run in Node on tfjs's ES2017 bundles: the package's default Node
// entry is ES5 and trains ~3.5x slower. Browser tests build the site and drive
// a real Chromium; they get their own project so `npm test` can run them last.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: nodeTfAliases },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'node_modules/**'],
          setupFiles: ['test/setup-node.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
