/**
 * Argument checks for the layer builders. Each error names the builder, the
 * argument and the allowed values, so a learner's slider or typo reads as a
 * sentence in the cell.
 */

export function fail(fn: string, arg: string, expected: string, got?: unknown): never {
  const shown = got === undefined ? '' : `, got ${typeof got === 'string' ? `'${got}'` : JSON.stringify(got)}`;
  throw new Error(`${fn}: '${arg}' must be ${expected}${shown}.`);
}

export function positiveInt(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(fn, arg, 'a whole number >= 1', value);
  return value;
}

export function positiveNumber(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(fn, arg, 'a number > 0', value);
  return value;
}

export function rate(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) fail(fn, arg, 'a probability in [0, 1)', value);
  return value;
}

export function oneOf<T>(fn: string, arg: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(fn, arg, `one of ${allowed.map((a) => (a === null ? 'null' : `'${String(a)}'`)).join(', ')}`, value);
  return value as T;
}

export function requiredName(fn: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) fail(fn, 'name', 'a non-empty string (layer names are prefixed with it)', name);
  return name;
}
