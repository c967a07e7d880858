import { nextMacrotask } from '../util/next-macrotask';

/** What one training step reports: named numbers, e.g. { loss: 0.42, accuracy: 0.9 }. */
export type StepMetrics = Record<string, number>;

export interface LiveTrainingOptions {
  /** How many steps to run. */
  steps: number;
  /** Runs step `i` (0-based) and reports its metrics. May be async. */
  step: (i: number, signal: AbortSignal) => StepMetrics | Promise<StepMetrics>;
  /** Shown above the bar, e.g. 'Training the CNN on 8,000 digits'. */
  label?: string;
  /** The metric drawn in the live chart (default: the first one reported). */
  chart?: string;
}

/** The panel a training cell shows; `value` holds every step's metrics and how the run ended. */
export interface TrainingPanel extends HTMLElement {
  value: { history: StepMetrics[]; status: 'running' | 'done' | 'stopped' | 'failed'; error?: string };
}

function sparkline(values: number[], width = 240, height = 48): string {
  if (values.length < 2) return '';
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const span = hi - lo || 1;
  const points = values
    .map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${(height - ((v - lo) / span) * height).toFixed(1)}`)
    .join(' ');
  return `<svg class="vn-train-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="metric over steps"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${points}"/></svg>`;
}

function format(metrics: StepMetrics): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(2) : v.toFixed(4)}`)
    .join(' · ');
}

/**
 * Runs a training loop in a cell with a progress bar, the live metric, a
 * chart and a Stop button. It yields to the browser after every step, so the
 * page stays responsive; Stop, a re-run of the cell, or leaving the page end
 * it within one step.
 *
 * @example
 * training = vn.ui.liveTraining({
 *   steps: 100,
 *   step: async (i) => ({ loss: await trainOneBatch(i) }),
 * })
 */
export async function* liveTraining(options: LiveTrainingOptions): AsyncGenerator<TrainingPanel> {
  const { steps, step, label = 'Training' } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`liveTraining: 'steps' must be a whole number ≥ 1, got ${steps}.`);
  if (typeof step !== 'function') throw new Error(`liveTraining: 'step' must be a function (i, signal) => metrics.`);

  const controller = new AbortController();
  const panel = document.createElement('div') as unknown as TrainingPanel;
  panel.className = 'vn-train';
  panel.value = { history: [], status: 'running' };
  panel.innerHTML = `<div class="vn-train-head"><span class="vn-train-label"></span><button type="button" class="vn-train-stop">Stop</button></div>
<progress class="vn-train-bar" max="${steps}" value="0"></progress>
<div class="vn-train-status" aria-live="polite"></div><div class="vn-train-plot"></div>`;
  panel.querySelector('.vn-train-label')!.textContent = label;
  const stopButton = panel.querySelector<HTMLButtonElement>('.vn-train-stop')!;
  const bar = panel.querySelector('progress')!;
  const status = panel.querySelector<HTMLElement>('.vn-train-status')!;
  const plot = panel.querySelector<HTMLElement>('.vn-train-plot')!;
  stopButton.addEventListener('click', () => controller.abort());

  const started = performance.now();
  try {
    yield panel;
    for (let i = 0; i < steps && !controller.signal.aborted; i++) {
      const metrics = await step(i, controller.signal);
      panel.value.history.push(metrics);
      bar.value = i + 1;
      const seconds = (performance.now() - started) / 1000;
      status.textContent = `step ${i + 1}/${steps} · ${format(metrics)} · ${seconds.toFixed(1)} s`;
      const key = options.chart ?? Object.keys(metrics)[0];
      if (key) plot.innerHTML = sparkline(panel.value.history.map((m) => m[key]));
      await nextMacrotask();
      yield panel;
    }
    panel.value = { ...panel.value, status: controller.signal.aborted ? 'stopped' : 'done' };
    status.textContent = `${controller.signal.aborted ? 'Stopped' : 'Done'} after ${panel.value.history.length} steps · ${status.textContent?.split(' · ').slice(1, -1).join(' · ')}`;
  } catch (error) {
    panel.value = { ...panel.value, status: 'failed', error: (error as Error).message };
    throw error;
  } finally {
    // A re-run returns this generator: abort so an in-flight step can stop early.
    controller.abort();
    stopButton.disabled = true;
  }
  yield panel;
}
