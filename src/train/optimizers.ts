import * as tf from '@tensorflow/tfjs';

export type OptimizerName = 'sgd' | 'momentum' | 'adam';

export interface OptimizerSpec {
  name: OptimizerName;
  /** Momentum coefficient for 'momentum' (default 0.9). */
  momentum?: number;
  beta1?: number;
  beta2?: number;
}

/**
 * A tfjs optimizer by name.
 *
 * @example
 * const opt = makeOptimizer('momentum', 0.05); // SGD with momentum 0.9
 */
export function makeOptimizer(spec: OptimizerName | OptimizerSpec, lr: number): tf.Optimizer {
  const s = typeof spec === 'string' ? { name: spec } : spec;
  switch (s.name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, s.momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(lr, s.beta1 ?? 0.9, s.beta2 ?? 0.999);
    default:
      throw new Error(`makeOptimizer: 'name' must be one of 'sgd', 'momentum', 'adam', got '${String((s as { name: string }).name)}'.`);
  }
}

/**
 * Sets an optimizer's learning rate between steps. SGD and momentum cache
 * -lr as a kept scalar (replaced by setLearningRate); Adam reads the field.
 *
 * @example
 * setLearningRate(opt, 0.001);
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** True for a tfjs optimizer instance (tf.Optimizer's instanceof check throws on undefined). */
export function isOptimizer(x: unknown): x is tf.Optimizer {
  return typeof x === 'object' && x !== null && typeof (x as tf.Optimizer).minimize === 'function';
}

/**
 * Disposes an optimizer and its state. tfjs 4.22's MomentumOptimizer.dispose
 * forgets the -lr scalar it inherits from SGD, so that one is freed here too.
 *
 * @example
 * disposeOptimizer(opt);
 */
export function disposeOptimizer(opt: tf.Optimizer): void {
  const c = (opt as unknown as { c?: tf.Tensor }).c;
  opt.dispose();
  if (c && !c.isDisposed) c.dispose();
}
