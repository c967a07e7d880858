/** Anything with a dispose(): tfjs tensors, models, optimisers, our own detectors. */
interface Disposable {
  dispose(): void;
}

function isDisposable(value: unknown): value is Disposable {
  return typeof value === 'object' && value !== null && typeof (value as Disposable).dispose === 'function';
}

/** Disposes a value, or each value of an array or plain object of them. */
export function disposeDeep(value: unknown): void {
  if (isDisposable(value)) {
    value.dispose();
  } else if (Array.isArray(value)) {
    value.forEach(disposeDeep);
  } else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    Object.values(value).forEach(disposeDeep);
  }
}

/**
 * Ties values to a cell's life: `keep(x)` returns x and disposes it when the
 * cell is invalidated (re-run, edited, or the page left). Without it, a cell
 * that re-runs on every slider move would leak a tensor per move.
 */
export function keeperFor(invalidation: Promise<void>) {
  const held: unknown[] = [];
  invalidation.then(() => {
    for (const value of held.splice(0)) disposeDeep(value);
  });
  return function keep<T>(value: T): T {
    held.push(value);
    return value;
  };
}
