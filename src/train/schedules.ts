/**
 * Learning-rate schedules as plain functions of the step (0-based) and the
 * run's total number of steps; the formulas follow PyTorch's StepLR,
 * CosineAnnealingLR and the linear-warmup + cosine schedule of timm/BERT.
 */

export type ScheduleSpec =
  | { type: 'constant'; lr: number }
  | { type: 'step'; lr: number; stepSize: number; gamma?: number }
  | { type: 'cosine'; lr: number; minLr?: number }
  | { type: 'warmup-cosine'; lr: number; warmupSteps: number; minLr?: number };

export type Schedule = (step: number, totalSteps: number) => number;

/**
 * Builds a schedule. 'step': lr * gamma^floor(step / stepSize) (gamma 0.1);
 * 'cosine': minLr + (lr - minLr) * (1 + cos(pi * step / total)) / 2;
 * 'warmup-cosine': lr * (step + 1) / warmupSteps during warmup, then cosine
 * over the remaining steps.
 *
 * @example
 * const lr = makeSchedule({type: 'cosine', lr: 0.01});
 * lr(0, 100);  // 0.01
 * lr(50, 100); // 0.005
 */
export function makeSchedule(spec: ScheduleSpec | number): Schedule {
  if (typeof spec === 'number') return () => spec;
  const minLr = 'minLr' in spec ? (spec.minLr ?? 0) : 0;
  const cosine = (t: number) => minLr + ((spec.lr - minLr) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t))))) / 2;
  switch (spec.type) {
    case 'constant':
      return () => spec.lr;
    case 'step': {
      if (!(spec.stepSize >= 1)) throw new Error(`makeSchedule: 'stepSize' must be a number >= 1, got ${spec.stepSize}.`);
      const gamma = spec.gamma ?? 0.1;
      return (step) => spec.lr * gamma ** Math.floor(step / spec.stepSize);
    }
    case 'cosine':
      return (step, total) => cosine(step / Math.max(1, total));
    case 'warmup-cosine':
      return (step, total) =>
        step < spec.warmupSteps ? (spec.lr * (step + 1)) / spec.warmupSteps : cosine((step - spec.warmupSteps) / Math.max(1, total - spec.warmupSteps));
    default:
      throw new Error(`makeSchedule: 'type' must be one of 'constant', 'step', 'cosine', 'warmup-cosine', got '${(spec as { type: string }).type}'.`);
  }
}

/** Whether a schedule needs to know the run's length. */
export function needsTotalSteps(spec: ScheduleSpec | number | undefined): boolean {
  return typeof spec === 'object' && (spec.type === 'cosine' || spec.type === 'warmup-cosine');
}
