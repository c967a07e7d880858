/**
 * Trains, in Node, the models that lessons start from. Each lesson's recipes
 * live in their own file, `scripts/weights/lesson-NN.ts`, exporting
 * `train(context)`; this runner finds them by themselves, so a new lesson adds
 * a file and edits nothing here. Each recipe writes model.json + weights.bin +
 * README.md (recipe, seed, time, scores) under `weights/lesson-NN/<model>/`.
 *
 *   npm run train:weights                       # everything
 *   npm run train:weights -- --only lesson-02   # one lesson's file (repeatable, comma-separated)
 *   npm run train:weights -- --quick            # a short smoke run into /tmp (nothing committed)
 */
import { readdir } from 'node:fs/promises';
import { useFastestNodeBackend } from '../src/backends/node-backend';
import type { WeightsContext } from './weights/context';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? a.split(',') : []));
const outRoot = quick ? '/tmp/vision-notebook-weights' : 'weights';

const dir = new URL('./weights/', import.meta.url);
const files = (await readdir(dir)).filter((f) => /^lesson-\d\d.*\.ts$/.test(f)).sort();
const chosen = files.filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')));
if (chosen.length === 0) throw new Error(`--only ${only.join(',')}: no such recipe file; have ${files.join(', ')}`);

const backend = await useFastestNodeBackend();
console.log(`backend: ${backend}; recipes: ${chosen.join(', ')}`);
const context: WeightsContext = { quick, outRoot, backend };
for (const f of chosen) {
  const recipe = (await import(new URL(f, dir).href)) as { train: (c: WeightsContext) => Promise<void> };
  console.log(`== ${f}`);
  await recipe.train(context);
}
console.log('done');
