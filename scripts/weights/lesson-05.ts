/**
 * Lesson 5's scaling-law grid: the course MLP (`mlpClassifier`, one hidden layer)
 * at several widths × several training-set sizes, each trained for the same fixed
 * budget of steps (`train.scalingRun`), its best test cross-entropy recorded.
 * The page plots the grid on log-log axes, fits the power law in the page, and
 * re-runs one row live with the same function. MAE-tiny and DINO-tiny are in
 * lesson-05-mae.ts and lesson-05-dino.ts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fitPowerLaw, scalingRun, type ScalingPoint } from '../../src/train';
import type { WeightsContext } from './context';

export const GRID = { widths: [4, 16, 64, 256], trainSizes: [125, 250, 500, 1000, 2000, 4000, 8000], steps: 500, batchSize: 64, lr: 0.003, seed: 1, testCount: 1000 };

export async function train({ quick, outRoot, backend }: WeightsContext): Promise<void> {
  const g = quick ? { ...GRID, widths: [4, 64], trainSizes: [250, 1000], steps: 40 } : GRID;
  const points: ScalingPoint[] = [];
  const t0 = performance.now();
  for (const width of g.widths) {
    for (const trainSize of g.trainSizes) {
      const p = await scalingRun({ width, trainSize, steps: g.steps, batchSize: g.batchSize, lr: g.lr, seed: g.seed, testCount: g.testCount });
      points.push(p);
      console.log(`width ${width} (${p.params} params) x ${trainSize} digits: best test loss ${p.testLoss.toFixed(4)}, final ${p.finalTestLoss.toFixed(4)}, acc ${(p.testAccuracy * 100).toFixed(1)}%`);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const widest = Math.max(...g.widths);
  const fit = fitPowerLaw(points.filter((p) => p.width === widest).map((p) => ({ x: p.trainSize, y: p.testLoss })));
  const dir = `${outRoot}/lesson-05/scaling`;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/scores.json`, JSON.stringify({ grid: g, backend, seconds: Math.round(seconds), points }, null, 1) + '\n');
  const table = g.widths
    .map((w) => `| ${w} | ${points.find((p) => p.width === w)!.params.toLocaleString('en')} | ${g.trainSizes.map((n) => points.find((p) => p.width === w && p.trainSize === n)!.testLoss.toFixed(3)).join(' | ')} |`)
    .join('\n');
  await writeFile(
    `${dir}/README.md`,
    `# Lesson 5: the scaling-law grid

Made by \`npm run train:weights -- --only lesson-05\` (scripts/weights/lesson-05.ts); do not edit by hand.
\`scores.json\` holds every run; the lesson plots it and fits the power law in the page.

| | |
| --- | --- |
| model | \`mlpClassifier({hidden: [width]})\`: flatten, Dense(width)+ReLU, Dense(10)+softmax |
| data | MNIST train split, the first N digits (\`limit\`), shuffled with seed ${g.seed}; test loss on the first ${g.testCount} test digits |
| budget | ${g.steps} Adam steps of ${g.batchSize} images at lr ${g.lr}, for every cell (small sets are seen many times) |
| score | best test cross-entropy over ${8} evaluations in the run (early stopping) |
| backend | Node, tfjs \`${backend}\`, ${seconds.toFixed(0)} s for the grid |
| power law (width ${widest}) | L ≈ ${fit.a.toFixed(3)} · N^(−${fit.alpha.toFixed(3)}), r² ${fit.r2.toFixed(3)} in log space |

Best test loss (nats), rows = width, columns = training digits:

| width | params | ${g.trainSizes.join(' | ')} |
| --- | --- | ${g.trainSizes.map(() => '---').join(' | ')} |
${table}
`,
  );
  console.log(`scaling grid: ${points.length} runs in ${seconds.toFixed(0)} s; width ${widest}: alpha ${fit.alpha.toFixed(3)}`);
}
