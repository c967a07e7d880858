/**
 * Turns a result into plain data that can be compared and posted between
 * threads: a tf tensor becomes its nested array (and is disposed, since the
 * caller handed it over), a typed array becomes an array, a promise is awaited.
 * Detection is by shape (duck typing) so this module does not import tfjs.
 */

interface TensorLike {
  arraySync(): unknown;
  dispose(): void;
  shape: number[];
  isDisposed?: boolean;
}

/** True for a tf.Tensor (or anything that walks like one). */
export function isTensorLike(x: unknown): x is TensorLike {
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as TensorLike).arraySync === 'function' &&
    typeof (x as TensorLike).dispose === 'function' &&
    Array.isArray((x as TensorLike).shape)
  );
}

/**
 * @example
 * await toPlain(tf.tensor2d([[1, 2]]))   // [[1, 2]] (the tensor is disposed)
 * await toPlain(new Float32Array([0.5]))   // [0.5]
 */
export async function toPlain(x: unknown, depth = 0): Promise<unknown> {
  if (depth > 32) throw new Error('result is nested too deeply (more than 32 levels)');
  const v = x instanceof Promise ? await x : x;
  if (isTensorLike(v)) {
    if (v.isDisposed) throw new Error('the returned tensor was already disposed (return it from tf.tidy, or do not dispose it)');
    const arr = v.arraySync();
    v.dispose();
    return arr;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) out.push(await toPlain(e, depth + 1));
    return out;
  }
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = await toPlain(e, depth + 1);
    return out;
  }
  return v;
}

/** Disposes every tensor inside a (nested) value; used when a case fails before its result is read. */
export function disposeDeep(x: unknown, depth = 0): void {
  if (depth > 32) return;
  if (isTensorLike(x)) {
    if (!x.isDisposed) x.dispose();
  } else if (Array.isArray(x)) x.forEach((e) => disposeDeep(e, depth + 1));
}
