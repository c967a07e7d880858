import { assertInRange, fail } from '../../util/validate';
import type { DetectOptions, LoadDetectorOptions } from './types';

export interface ResolvedDetectOptions {
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
  onNotice: (message: string) => void;
}

function checkKeys(op: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    // a misspelt option silently ignored is the hardest mistake for a reader to find
    if (!allowed.includes(key)) fail(op, 'options', `an object with only ${allowed.join(', ')}`, `unknown option '${key}'`);
  }
}

function checkObject(op: string, options: unknown): asserts options is object | undefined {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    fail(op, 'options', 'an object', options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options);
  }
}

/**
 * Checks `detect`'s options and fills in the defaults.
 *
 * @example
 * checkDetectOptions({ scoreThreshold: 0.5 }); // { scoreThreshold: 0.5, iouThreshold: 0.5, maxDetections: 100, onNotice: console.warn }
 * checkDetectOptions({ scoreThreshold: 2 }); // throws "detect: 'scoreThreshold' must be a number in [0, 1], got 2."
 */
export function checkDetectOptions(options: DetectOptions | undefined): ResolvedDetectOptions {
  checkObject('detect', options);
  const o = options ?? {};
  checkKeys('detect', o, ['scoreThreshold', 'iouThreshold', 'maxDetections', 'onNotice']);
  const scoreThreshold = o.scoreThreshold ?? 0.3;
  const iouThreshold = o.iouThreshold ?? 0.5;
  const maxDetections = o.maxDetections ?? 100;
  assertInRange('detect', 'scoreThreshold', scoreThreshold, 0, 1);
  assertInRange('detect', 'iouThreshold', iouThreshold, 0, 1);
  assertInRange('detect', 'maxDetections', maxDetections, 1, 1000);
  if (!Number.isInteger(maxDetections)) fail('detect', 'maxDetections', 'a whole number', String(maxDetections));
  if (o.onNotice !== undefined && typeof o.onNotice !== 'function') fail('detect', 'onNotice', 'a function', typeof o.onNotice);
  return { scoreThreshold, iouThreshold, maxDetections, onNotice: o.onNotice ?? ((m: string) => console.warn(m)) };
}

/**
 * Checks `loadDetector`'s options (that `inputSize` matches the graph is checked once it is loaded).
 *
 * @example
 * checkLoadOptions({ inputSize: 416 }); // { inputSize: 416, modelUrl: undefined }
 * checkLoadOptions({ inputSize: -1 }); // throws "loadDetector: 'inputSize' must be a whole number of pixels in [32, 4096], got -1."
 */
export function checkLoadOptions(options: LoadDetectorOptions | undefined): { inputSize?: number; modelUrl?: string } {
  checkObject('loadDetector', options);
  const o = options ?? {};
  checkKeys('loadDetector', o, ['modelUrl', 'inputSize']);
  const { inputSize, modelUrl } = o;
  if (inputSize !== undefined && !(Number.isInteger(inputSize) && inputSize >= 32 && inputSize <= 4096)) {
    fail('loadDetector', 'inputSize', 'a whole number of pixels in [32, 4096]', String(inputSize));
  }
  if (modelUrl !== undefined && (typeof modelUrl !== 'string' || modelUrl === '')) {
    fail('loadDetector', 'modelUrl', 'a non-empty string', typeof modelUrl === 'string' ? "''" : typeof modelUrl);
  }
  return { inputSize, modelUrl };
}
