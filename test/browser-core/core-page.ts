// Bundled by test/browser-core/core-webgl.test.ts and run in headless Chromium:
// exposes the shared core cases (core-cases.ts) to the test, which calls them
// once per backend through page.evaluate.
import { runCoreCases } from './core-cases';

Object.assign(globalThis, { runCoreCases });
