import * as tf from '@tensorflow/tfjs';
import { loadBytes } from '../data/load-bytes';

/**
 * Weights in tfjs's standard layers-model format: `model.json` (topology +
 * weights manifest) and one `weights.bin`, what `tf.loadLayersModel(url)`
 * reads. The same files load in Node (from disk) and in the browser (from the
 * site's own files) through `loadBytes`.
 */

export interface SavedModelFiles {
  /** The text of model.json. */
  modelJson: string;
  /** The bytes of weights.bin. */
  weights: Uint8Array;
}

/**
 * Serialises a layers model into model.json text + weights.bin bytes.
 *
 * @example
 * const {modelJson, weights} = await modelToFiles(model);
 */
export async function modelToFiles(model: tf.LayersModel, weightsName = 'weights.bin'): Promise<SavedModelFiles> {
  let files: SavedModelFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const total = buffers.reduce((s, b) => s + b.byteLength, 0);
      const weights = new Uint8Array(total);
      let off = 0;
      for (const b of buffers) {
        weights.set(new Uint8Array(b), off);
        off += b.byteLength;
      }
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      files = { modelJson: JSON.stringify(json), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: total } };
    }),
  );
  return files!;
}

/**
 * Rebuilds a layers model from model.json text + weights.bin bytes.
 *
 * @example
 * const model = await modelFromFiles(json, bytes);
 */
export async function modelFromFiles(modelJson: string, weights: Uint8Array): Promise<tf.LayersModel> {
  const json = JSON.parse(modelJson) as tf.io.ModelJSON;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: buffer, format: json.format, generatedBy: json.generatedBy }));
}

/**
 * Loads a model the site serves, e.g. 'weights/lesson-01/cnn/model.json': in
 * the browser from the site's base URL, in Node from the repository.
 *
 * @example
 * const cnn = await loadSiteModel('weights/lesson-01/cnn/model.json');
 */
export async function loadSiteModel(modelJsonPath: string): Promise<tf.LayersModel> {
  const text = new TextDecoder().decode(await loadBytes(modelJsonPath));
  const json = JSON.parse(text) as tf.io.ModelJSON;
  const dir = modelJsonPath.slice(0, modelJsonPath.lastIndexOf('/') + 1);
  const parts = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => loadBytes(dir + p)));
  const total = parts.reduce((s, p) => s + p.length, 0);
  const weights = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    weights.set(p, off);
    off += p.length;
  }
  return modelFromFiles(text, weights);
}

/**
 * Node only: writes model.json + weights.bin into `dir` (created if needed).
 *
 * @example
 * await saveModelToDir(model, 'weights/lesson-01/cnn');
 */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<SavedModelFiles> {
  const files = await modelToFiles(model);
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${dir}/model.json`, files.modelJson);
  await fs.writeFile(`${dir}/weights.bin`, files.weights);
  return files;
}

/**
 * Node only: loads model.json + weights.bin from a directory on disk.
 *
 * @example
 * const model = await loadModelFromDir('weights/lesson-01/cnn');
 */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  return modelFromFiles(await fs.readFile(`${dir}/model.json`, 'utf8'), new Uint8Array(await fs.readFile(`${dir}/weights.bin`)));
}
