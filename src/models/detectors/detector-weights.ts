import * as tf from '@tensorflow/tfjs';
import { loadBytes } from '../../data/load-bytes';
import { fail } from '../../util/validate';
import type { TrainableDetector } from './types';

/**
 * The weight files of a trainable detector, one directory per detector:
 *
 * - `detector.json`: `{format: 'vision-notebook-detector', version: 1, detector, models: [{name, weights: [{name, shape, dtype}]}], paths: ['weights.bin']}`
 * - `weights.bin`: every model's weights (`model.weights`, trainable and not,
 *   e.g. batch-norm statistics), models in the listed order, little-endian
 *   float32 as `tf.io.encodeWeights` writes them.
 *
 * Only the weights are stored: the architecture is the code's (`SCENE_DETECTORS`'
 * `create()`), and loading writes the values into a freshly built detector by
 * position, checking every shape. Weight names are kept for reading the file
 * (tfjs numbers auto-named layers per process, so they are not matched).
 */
export const DETECTOR_FORMAT = 'vision-notebook-detector';

export interface DetectorFiles {
  /** The text of detector.json. */
  manifest: string;
  /** The bytes of weights.bin. */
  weights: Uint8Array;
}

interface Manifest {
  format: string;
  version: number;
  detector: string;
  models: { name: string; weights: { name: string; shape: number[]; dtype: string }[] }[];
  paths: string[];
}

/** Serialises the detector's weights (see `DETECTOR_FORMAT`). */
export async function detectorToFiles(detector: TrainableDetector): Promise<DetectorFiles> {
  const named: { name: string; tensor: tf.Tensor }[] = [];
  const models = Object.entries(detector.models).map(([model, m]) => ({
    name: model,
    weights: m.weights.map((w, i) => {
      const tensor = w.read();
      // Unique names, as encodeWeights' specs are read back into a name → tensor map.
      named.push({ name: `${model}/${i}`, tensor });
      return { name: w.name, shape: tensor.shape, dtype: tensor.dtype };
    }),
  }));
  const { data } = await tf.io.encodeWeights(named);
  const manifest: Manifest = { format: DETECTOR_FORMAT, version: 1, detector: detector.name, models, paths: ['weights.bin'] };
  return { manifest: JSON.stringify(manifest), weights: new Uint8Array(data as ArrayBuffer) };
}

/** Writes `files` into a freshly built detector of the same architecture; errors name the first mismatch. */
export function loadDetectorWeights(detector: TrainableDetector, files: DetectorFiles): void {
  const op = 'loadDetectorWeights';
  const m = JSON.parse(files.manifest) as Manifest;
  if (m.format !== DETECTOR_FORMAT || m.version !== 1) fail(op, 'files', `a '${DETECTOR_FORMAT}' version 1 manifest`, `format '${m.format}' version ${m.version}`);
  if (m.detector !== detector.name) fail(op, 'files', `weights of a '${detector.name}'`, `weights of a '${m.detector}'`);
  const names = Object.keys(detector.models);
  if (m.models.map((x) => x.name).join(',') !== names.join(',')) fail(op, 'files', `the models ${names.join(', ')}`, m.models.map((x) => x.name).join(', '));
  const specs = m.models.flatMap((x) => x.weights.map((w, i) => ({ name: `${x.name}/${i}`, shape: w.shape, dtype: w.dtype as 'float32' })));
  const buffer = files.weights.buffer.slice(files.weights.byteOffset, files.weights.byteOffset + files.weights.byteLength) as ArrayBuffer;
  const expected = specs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (buffer.byteLength !== expected) fail(op, 'files', `weights.bin of ${expected} bytes (the manifest's weights)`, `${buffer.byteLength} bytes`);
  const values = tf.io.decodeWeights(buffer, specs);
  try {
    for (const x of m.models) {
      const model = detector.models[x.name];
      if (model.weights.length !== x.weights.length) fail(op, 'files', `${model.weights.length} weights in model '${x.name}'`, `${x.weights.length}`);
      model.weights.forEach((w, i) => {
        const v = values[`${x.name}/${i}`];
        if (w.shape.join(',') !== v.shape.join(',')) fail(op, 'files', `weight ${i} of '${x.name}' (${w.name}) of shape [${w.shape}]`, `[${v.shape}] (${x.weights[i].name})`);
        w.write(v);
      });
    }
  } finally {
    tf.dispose(Object.values(values));
  }
}

/**
 * Loads weights the site serves (browser) or the repository holds (Node), e.g.
 * `loadSiteDetectorWeights(det, 'weights/lesson-08/faster-rcnn')`.
 */
export async function loadSiteDetectorWeights(detector: TrainableDetector, dir: string): Promise<void> {
  const manifest = new TextDecoder().decode(await loadBytes(`${dir}/detector.json`));
  const paths = (JSON.parse(manifest) as Manifest).paths;
  const parts = await Promise.all(paths.map((p) => loadBytes(`${dir}/${p}`)));
  const weights = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    weights.set(p, off);
    off += p.length;
  }
  loadDetectorWeights(detector, { manifest, weights });
}

/** Node only: writes detector.json + weights.bin into `dir` (created if needed); returns the files. */
export async function saveDetectorToDir(detector: TrainableDetector, dir: string): Promise<DetectorFiles> {
  const files = await detectorToFiles(detector);
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${dir}/detector.json`, files.manifest);
  await fs.writeFile(`${dir}/weights.bin`, files.weights);
  return files;
}
