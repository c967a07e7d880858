import type { BackboneEntry, BackboneOptions } from './index';
import type { BackboneConfig } from './common';

const FN = 'buildBackbone';
const KNOWN = ['inputShape', 'numClasses', 'auxLogits', 'widthMultiplier', 'depth', 'features', 'seed'];

function err(arg: string, expected: string, got: unknown): never {
  throw new Error(`${FN}: '${arg}' must be ${expected}, got ${typeof got === 'string' ? `'${got}'` : JSON.stringify(got)}.`);
}

/**
 * Checks a caller's options against the entry's declared knobs and fills the
 * defaults, so every backbone's bad input reads the same: the argument, what
 * it may be, what was given (e.g. a depth the tiny ResNets cannot make, a
 * width multiplier of 0, a knob the family lacks and who has it).
 */
export function resolveBackboneOptions(
  name: string, entry: BackboneEntry, opts: BackboneOptions, all: [string, BackboneEntry][],
): BackboneConfig {
  if (opts === null || typeof opts !== 'object') err('options', `an object with some of ${KNOWN.join(', ')}`, opts);
  const known = [...KNOWN, ...(entry.extraOptions ?? [])];
  for (const k of Object.keys(opts)) if (!known.includes(k)) err('options', `made of ${known.join(', ')} for ${name} (no '${k}')`, Object.keys(opts));
  const inputShape = opts.inputShape ?? entry.defaults?.inputShape;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((v) => Number.isInteger(v) && v >= 1)) {
    err('inputShape', '[height, width, channels] of whole numbers >= 1', inputShape);
  }
  const shape = inputShape as [number, number, number];
  if (entry.minInputSize !== undefined && Math.min(shape[0], shape[1]) < entry.minInputSize) {
    err('inputShape', `at least ${entry.minInputSize}x${entry.minInputSize} for ${name} (its strides and kernels need it)`, shape);
  }
  const numClasses = opts.numClasses ?? entry.defaults?.numClasses;
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) err('numClasses', 'a whole number >= 1', numClasses);

  if (entry.knobs) {
    const knobs = entry.knobs;
    for (const k of ['widthMultiplier', 'depth', 'auxLogits'] as const) {
      if (opts[k] !== undefined && !knobs.includes(k)) {
        const having = all.filter(([, e]) => e.knobs?.includes(k)).map(([n]) => n).join(', ');
        err(k, `left out for ${name} (backbones with it: ${having || 'none'})`, opts[k]);
      }
    }
  }
  const widthMultiplier = opts.widthMultiplier ?? 1;
  if (typeof widthMultiplier !== 'number' || !Number.isFinite(widthMultiplier) || widthMultiplier <= 0) err('widthMultiplier', 'a number > 0 (1 is the standard width)', widthMultiplier);
  if (opts.depth !== undefined && entry.depths && !entry.depths.check(opts.depth)) err('depth', `${entry.depths.describe} for ${name}`, opts.depth);
  if (opts.auxLogits !== undefined && typeof opts.auxLogits !== 'boolean') err('auxLogits', 'true or false', opts.auxLogits);
  const features = opts.features ?? false;
  if (typeof features !== 'boolean') err('features', 'true or false', features);
  if (features && entry.hasFeatures === false) {
    const having = all.filter(([, e]) => e.hasFeatures).map(([n]) => n).join(', ');
    err('features', `false for ${name} (it has no spatial map to hand on; backbones with features: ${having})`, features);
  }
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0) err('seed', 'a whole number >= 0', seed);
  return {
    ...opts,
    inputShape: [...shape], numClasses, features, auxLogits: opts.auxLogits ?? false, widthMultiplier,
    depth: opts.depth ?? entry.depths?.default, seed,
  };
}
