import * as tf from '@tensorflow/tfjs';
import { disposeOptimizer, isOptimizer, makeOptimizer, setLearningRate, type OptimizerName, type OptimizerSpec } from './optimizers';
import { nextMacrotask } from '../util/next-macrotask';
import { makeSchedule, needsTotalSteps, type ScheduleSpec } from './schedules';

/** What a custom step returns: the scalar to minimise and, optionally, its parts. */
export interface StepOutput {
  loss: tf.Scalar;
  /** Named loss terms (e.g. {cls, box}); read after the step and disposed. */
  terms?: Record<string, tf.Scalar>;
  /** Named batch metrics (e.g. {accuracy}); read after the step and disposed. */
  metrics?: Record<string, tf.Scalar>;
}

export type StepFn<B> = (batch: B, ctx: { step: number }) => StepOutput;

export type BatchSource<B> = Iterable<B> | AsyncIterable<B>;

export interface ProgressEvent {
  step: number;
  totalSteps: number | null;
  epoch: number;
  loss: number;
  lossTerms: Record<string, number>;
  /** Batch metrics of this step, plus the last periodic evaluation's results. */
  metrics: Record<string, number>;
  /** Set on steps where the periodic evaluation ran. */
  evaluation?: Record<string, number>;
  /**
   * Images per second over whole steps so far: making the batch (the data
   * iterator's time) plus training on it. What a run's length depends on.
   */
  imagesPerSecond: number;
  /** Images per second of the training alone (forward, backward, update), leaving out batch making. */
  trainImagesPerSecond: number;
  /** Milliseconds spent so far waiting for batches from `data`. */
  dataMs: number;
  /** Milliseconds spent so far in training steps. */
  trainMs: number;
  lr: number;
  elapsedMs: number;
}

export interface FitOptions<B> {
  /** A tf.layers model trained on `{xs, ys}` batches with `loss`... */
  model?: tf.LayersModel;
  /** Loss for `model` mode (default 'categoricalCrossentropy' on softmax outputs). */
  loss?: 'categoricalCrossentropy' | 'softmaxCrossEntropy' | 'meanSquaredError' | ((ys: tf.Tensor, preds: tf.Tensor) => tf.Scalar);
  /** ... or any step function whose loss depends on trainable variables. */
  step?: StepFn<B>;
  /** Variables the step trains (default: the model's trainable weights, else all trainable variables). */
  variables?: tf.Variable[];
  /** Batches: an iterable used once, or a factory called per epoch. fit disposes every tensor in a batch after its step. */
  data: BatchSource<B> | ((epoch: number) => BatchSource<B> | Promise<BatchSource<B>>);
  optimizer?: OptimizerName | OptimizerSpec | tf.Optimizer;
  /** A number (constant lr) or a schedule (default 0.001 constant). */
  schedule?: ScheduleSpec | number;
  epochs?: number;
  /** Stop after this many steps; also the schedule's total when given. */
  steps?: number;
  /** The schedule's total when `steps` is not given and the data length is unknown. */
  totalSteps?: number;
  signal?: AbortSignal;
  /** Runs `fn` every `every` steps and after the last step when `steps` is given. */
  evaluate?: { every: number; fn: (ctx: { step: number }) => Promise<Record<string, number>> | Record<string, number> };
  onProgress?: (e: ProgressEvent) => void;
  /** Yield to the event loop (a macrotask) every N steps (default 1) so pages stay responsive. */
  yieldEvery?: number;
}

export interface FitResult {
  steps: number;
  cancelled: boolean;
  history: ProgressEvent[];
  lastEvaluation: Record<string, number> | null;
}

/**
 * The training loop as an async generator: one progress event per step.
 * Cells iterate it (and stop when invalidated); `fit` drains it.
 * Cancel with `signal`: the loop checks it before every step, so it stops
 * within one step. If fit creates the optimizer (by name) it disposes it.
 *
 * @example
 * for await (const e of train({model, data: batches, optimizer: 'adam', schedule: 0.001, steps: 200, signal})) {
 *   yield progressBar(e.step / e.totalSteps, e.loss);
 * }
 */
export async function* train<B>(opts: FitOptions<B>): AsyncGenerator<ProgressEvent, FitResult> {
  const epochs = opts.epochs ?? 1;
  if (!opts.model && !opts.step) throw new Error(`train: 'model' or 'step' must be given.`);
  const schedule = makeSchedule(opts.schedule ?? 0.001);
  const dataLength = Array.isArray(opts.data) ? opts.data.length * epochs : null;
  const totalSteps = opts.steps ?? opts.totalSteps ?? dataLength;
  if (needsTotalSteps(opts.schedule) && totalSteps === null) {
    throw new Error(`train: 'steps' (or 'totalSteps') must be given for a ${(opts.schedule as ScheduleSpec).type} schedule when the data's length is unknown.`);
  }
  const given = isOptimizer(opts.optimizer) ? opts.optimizer : null;
  const optimizer = given ?? makeOptimizer((opts.optimizer as OptimizerName | OptimizerSpec | undefined) ?? 'adam', schedule(0, totalSteps ?? 1));
  const stepFn = opts.step ?? modelStep(opts.model!, opts.loss);
  const variables = opts.variables ?? (opts.model ? opts.model.trainableWeights.map((w) => w.read() as tf.Variable) : undefined);
  const history: ProgressEvent[] = [];
  let lastEvaluation: Record<string, number> | null = null;
  let step = 0;
  let images = 0;
  let dataMs = 0;
  let trainMs = 0;
  const t0 = performance.now();
  const yieldEvery = opts.yieldEvery ?? 1;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const tSource = performance.now();
      const source = typeof opts.data === 'function' ? await opts.data(epoch) : opts.data;
      // Pulled by hand rather than with for-await so the wait for each batch can be timed.
      const batches = iteratorOf(source);
      dataMs += performance.now() - tSource;
      try {
        for (;;) {
          // Checked before asking for a batch, so a finished or cancelled run makes none it would throw away.
          if (opts.signal?.aborted || (opts.steps !== undefined && step >= opts.steps)) {
            return { steps: step, cancelled: !!opts.signal?.aborted, history, lastEvaluation };
          }
          const tData = performance.now();
          const next = await batches.next();
          if (next.done) break;
          const batch = next.value;
          if (opts.signal?.aborted) {
            tf.dispose(batch as tf.TensorContainer);
            return { steps: step, cancelled: true, history, lastEvaluation };
          }
          const tStep = performance.now();
          dataMs += tStep - tData;
          const lr = schedule(step, totalSteps ?? step + 1);
          setLearningRate(optimizer, lr);
          let kept: StepOutput | null = null;
          const cost = optimizer.minimize(() => {
            const out = stepFn(batch, { step });
            kept = { loss: out.loss, terms: keepAll(out.terms), metrics: keepAll(out.metrics) };
            return out.loss;
          }, true, variables);
          const loss = (await cost!.data())[0];
          const lossTerms = await readAll(kept!.terms);
          const metrics = { ...(lastEvaluation ?? {}), ...(await readAll(kept!.metrics)) };
          cost!.dispose();
          images += batchSize(batch);
          tf.dispose(batch as tf.TensorContainer);
          trainMs += performance.now() - tStep;
          step++;
          let evaluation: Record<string, number> | undefined;
          // Also after the last asked-for step, so a run's final numbers are always measured.
          const lastStep = opts.steps !== undefined && step === opts.steps;
          if (opts.evaluate && (step % opts.evaluate.every === 0 || lastStep)) {
            evaluation = await opts.evaluate.fn({ step });
            lastEvaluation = evaluation;
            Object.assign(metrics, evaluation);
          }
          const event: ProgressEvent = {
            step, totalSteps, epoch, loss, lossTerms, metrics, evaluation, lr,
            imagesPerSecond: dataMs + trainMs > 0 ? (images * 1000) / (dataMs + trainMs) : 0,
            trainImagesPerSecond: trainMs > 0 ? (images * 1000) / trainMs : 0,
            dataMs,
            trainMs,
            elapsedMs: performance.now() - t0,
          };
          history.push(event);
          opts.onProgress?.(event);
          yield event;
          if (step % yieldEvery === 0) await nextMacrotask();
        }
      } finally {
        // Lets a generator source run its own cleanup when the loop stops early.
        await batches.return?.();
      }
      if (opts.steps !== undefined && step >= opts.steps) break;
    }
    return { steps: step, cancelled: false, history, lastEvaluation };
  } finally {
    if (!given) disposeOptimizer(optimizer);
  }
}

/**
 * Runs `train` to the end (or until cancelled) and returns its history.
 *
 * @example
 * const ctrl = new AbortController();
 * const result = await fit({model, data: await mnistBatches({batchSize: 64, seed: 1}), optimizer: 'adam', schedule: 1e-3, signal: ctrl.signal,
 *                          onProgress: (e) => console.log(e.step, e.loss)});
 */
export async function fit<B>(opts: FitOptions<B>): Promise<FitResult> {
  const gen = train(opts);
  for (;;) {
    const r = await gen.next();
    if (r.done) return r.value;
  }
}

function modelStep(model: tf.LayersModel, loss: FitOptions<unknown>['loss'] = 'categoricalCrossentropy'): StepFn<unknown> {
  const lossFn =
    typeof loss === 'function'
      ? loss
      : loss === 'softmaxCrossEntropy'
        ? (ys: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(ys, p) as tf.Scalar
        : loss === 'meanSquaredError'
          ? (ys: tf.Tensor, p: tf.Tensor) => tf.losses.meanSquaredError(ys, p) as tf.Scalar
          : (ys: tf.Tensor, p: tf.Tensor) => tf.mean(tf.metrics.categoricalCrossentropy(ys, p)) as tf.Scalar;
  return (batch) => {
    const { xs, ys } = batch as { xs: tf.Tensor; ys: tf.Tensor };
    const preds = model.apply(xs, { training: true }) as tf.Tensor;
    const out: StepOutput = { loss: lossFn(ys, preds) };
    if (ys.rank === 2 && preds.rank === 2 && ys.shape[1] === preds.shape[1] && ys.shape[1]! > 1) {
      out.metrics = { accuracy: tf.mean(tf.equal(tf.argMax(preds, 1), tf.argMax(ys, 1)).toFloat()) as tf.Scalar };
    }
    return out;
  };
}

function keepAll(m: Record<string, tf.Scalar> | undefined): Record<string, tf.Scalar> | undefined {
  if (!m) return undefined;
  for (const t of Object.values(m)) tf.keep(t);
  return m;
}

async function readAll(m: Record<string, tf.Scalar> | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (!m) return out;
  for (const [k, t] of Object.entries(m)) {
    out[k] = (await t.data())[0];
    t.dispose();
  }
  return out;
}

function iteratorOf<B>(source: BatchSource<B>): Iterator<B> | AsyncIterator<B> {
  const asyncIt = (source as AsyncIterable<B>)[Symbol.asyncIterator];
  if (typeof asyncIt === 'function') return asyncIt.call(source);
  const syncIt = (source as Iterable<B>)[Symbol.iterator];
  if (typeof syncIt === 'function') return syncIt.call(source);
  throw new Error(`train: 'data' must be an iterable of batches (or a function returning one), got ${typeof source}.`);
}

function batchSize(batch: unknown): number {
  const b = batch as { xs?: tf.Tensor; images?: tf.Tensor };
  const t = b?.xs ?? b?.images ?? (batch instanceof tf.Tensor ? batch : null);
  return t && t.rank > 0 ? t.shape[0] : 0;
}
