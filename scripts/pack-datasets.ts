/**
 * Writes the packed datasets to a folder (default public/data) for hosts that
 * serve static files without the VitePress asset plugin. The site itself
 * builds them through scripts/assets/data.ts; nothing here is committed.
 *
 *   node --import tsx scripts/pack-datasets.ts [outDir]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assets } from './assets/data';

const outDir = process.argv[2] ?? 'public';
for (const asset of assets) {
  const t0 = performance.now();
  const bytes = await asset.load();
  const file = join(outDir, asset.url);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, bytes);
  console.log(`${file}: ${(bytes.length / 1e6).toFixed(2)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
