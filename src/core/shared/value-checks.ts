/**
 * Value checks (NaN, inverted boxes) need the numbers on the CPU. They are on
 * by default so a learner's mistake is caught where it is made; a training loop
 * on a GPU backend may turn them off to avoid a synchronous download a step.
 *
 * @example
 * setValueChecks(false); // inside a hot training loop on WebGL
 */
let enabled = true;

export function setValueChecks(on: boolean): void {
  enabled = on;
}

export function valueChecksEnabled(): boolean {
  return enabled;
}
