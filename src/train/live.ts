import { train, type FitOptions, type ProgressEvent } from './fit';

/** One step's numbers as a live panel shows them, e.g. {loss: 0.42, accuracy: 0.9}. */
export type LiveMetrics = Record<string, number>;

/** What `liveSteps` returns: a step function, plus the loop's own events so far. */
export interface LiveStepFn {
  (i: number, signal: AbortSignal): Promise<LiveMetrics>;
  /** Every progress event of the loop, as `train` yielded them. */
  readonly events: ProgressEvent[];
}

/** The panel shows the loss, its terms, the metrics and the throughput of whole steps. */
function defaultMetrics(e: ProgressEvent): LiveMetrics {
  return { loss: e.loss, ...e.lossTerms, ...e.metrics, 'img/s': e.imagesPerSecond };
}

/**
 * Drives the course's training loop (`train`) one step per call, in the shape
 * `ui.liveTraining` asks for: `step(i, signal)` runs the loop's next step and
 * resolves to its metrics. The loop starts on the first call, with that
 * call's signal, so the panel's Stop button, a re-run of the cell or leaving
 * the page cancel it within one step; once the signal aborts the loop is
 * closed, which disposes an optimizer it made.
 *
 * The panel pulls steps and the loop pushes events; this keeps the loop the
 * only place where batches, optimiser, schedule and evaluation live, so a
 * lesson trains exactly as `npm run train:weights` does.
 *
 * @example
 * training = ui.liveTraining({
 *   steps: 200,
 *   step: train.liveSteps({ model, data: await data.mnistBatches({ batchSize: 32, seed: 1 }), steps: 200, optimizer: 'adam', schedule: 0.003 }),
 * })
 */
export function liveSteps<B>(opts: Omit<FitOptions<B>, 'signal'>, metrics: (e: ProgressEvent) => LiveMetrics = defaultMetrics): LiveStepFn {
  let loop: AsyncGenerator<ProgressEvent, unknown> | null = null;
  let last: LiveMetrics = {};
  const events: ProgressEvent[] = [];
  const step = async (i: number, signal: AbortSignal): Promise<LiveMetrics> => {
    if (!loop) {
      const started: AsyncGenerator<ProgressEvent, unknown> = train({ ...opts, signal });
      loop = started;
      signal.addEventListener('abort', () => void started.return(undefined).catch(() => {}), { once: true });
    }
    const next = await loop.next();
    if (next.done) {
      if (signal.aborted) return last;
      throw new Error(`liveSteps: the training loop ended after ${events.length} steps, before step ${i + 1} was asked for; give 'data' enough batches (or more epochs) for every step.`);
    }
    events.push(next.value);
    last = metrics(next.value);
    return last;
  };
  return Object.assign(step, { events });
}
