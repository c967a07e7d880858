// Bundled by bench/suites/resnet-train-step.ts and run in Chromium: times one
// Adam step of a registered backbone (buildBackbone) on one backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { detectSoftwareRenderer, registerWasmTrainingKernels } from '../../src/backends/wasm-training';
import { buildBackbone, type BuildBackboneOptions } from '../../src/models/backbones/index';

setWasmPaths('/wasm/');
registerWasmTrainingKernels();

async function runBackboneStep(
  name: string, options: BuildBackboneOptions, batch: number, backend: string, reps: number,
): Promise<{ ms: number; min: number; loss: number; leaked: number }> {
  if (!(await tf.setBackend(backend))) throw new Error(`backend '${backend}' did not initialise`);
  await tf.ready();
  const before = tf.memory().numTensors;
  const model = buildBackbone(name, { ...options, seed: 1 });
  const shape = model.inputs[0].shape.slice(1) as number[];
  const classes = model.outputs[0].shape[1] as number;
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, ...shape], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32', 2), classes).toFloat());
  const step = async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    const v = (await loss.data())[0];
    loss.dispose();
    return v;
  };
  // Warm-up: shader compilation, XNNPack operator creation, Adam's slots.
  for (let i = 0; i < 2; i++) await step();
  const times: number[] = [];
  let loss = NaN;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    loss = await step();
    times.push(performance.now() - t0);
  }
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], min: times[0], loss, leaked: tf.memory().numTensors - before };
}

Object.assign(globalThis, { runBackboneStep, detectSoftwareRenderer });
