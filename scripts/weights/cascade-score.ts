/**
 * Scores Lesson 9's shipped Cascade R-CNN on the scene-detection benchmark and writes scores.json and the
 * README beside the weights (called by lesson-09.ts after training, or alone with LESSON09_SCORE_ONLY=1).
 * One pass per scene gives the cascade's detections and each stage's alone (`detectEach`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { evaluateCoco, type CocoDetection } from '../../src/core/index';
import { toCoco } from '../../src/data/index';
import { apByIou, CASCADE_SCENE, createSceneCascadeRcnn, type CascadeOutput } from '../../src/models/detectors/cascade-rcnn/index';
import { benchmarkScenes, evaluateSceneDetector, loadDetectorWeights, SCENE_BENCHMARK, SCENE_BENCHMARK_DETECT } from '../../src/models/detectors/index';

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
/** How many benchmark scenes the shipped-weights test re-measures. */
export const SUBSET = 30;
const BENCHMARK = SCENE_BENCHMARK;
const CASCADE_ARCH = CASCADE_SCENE;

export async function writeScores(out: string, quick: boolean): Promise<void> {
  const det = createSceneCascadeRcnn();
  loadDetectorWeights(det, { manifest: await readFile(`${out}/detector.json`, 'utf8'), weights: new Uint8Array(await readFile(`${out}/weights.bin`)) });
  const training = JSON.parse(await readFile(`${out}/training.json`, 'utf8'));
  const count = Number(process.env.LESSON09_BENCHMARK_SCENES ?? (quick ? 8 : BENCHMARK.count));
  const bench = await benchmarkScenes(count);
  const outputs: CascadeOutput[] = ['cascade', 1, 2, 3];
  const dets: CocoDetection[][] = outputs.map(() => []);
  const t0 = performance.now();
  for (const [i, s] of bench.entries()) {
    const each = await det.detectEach(s, outputs, { ...SCENE_BENCHMARK_DETECT });
    each.forEach((list, o) => {
      for (const d of list) dets[o].push({ image_id: s.id, category_id: d.classId, bbox: [d.box[0], d.box[1], d.box[2] - d.box[0], d.box[3] - d.box[1]], score: d.score });
    });
    if ((i + 1) % 50 === 0) console.log(`scored ${i + 1}/${bench.length}`);
  }
  const msPerImage = Math.round((performance.now() - t0) / bench.length);
  const gt = toCoco(bench);
  const scores = Object.fromEntries(
    outputs.map((o, k) => {
      const res = evaluateCoco(gt, dets[k], { includePrecision: true });
      const { AP, AP50, AP75, APs, APm, APl } = res.stats;
      return [o === 'cascade' ? 'cascade' : `stage${o}`, { AP: r4(AP), AP50: r4(AP50), AP75: r4(AP75), APs: r4(APs), APm: r4(APm), APl: r4(APl), apByIou: apByIou(res).map((p) => ({ iou: p.iou, ap: r4(p.ap) })) }];
    }),
  ) as Record<string, { AP: number; AP50: number; AP75: number; APs: number; APm: number; APl: number; apByIou: { iou: number; ap: number }[] }>;
  // The subset the shipped-weights test re-measures, through the course's own benchmark function.
  const sub = await evaluateSceneDetector(det, { count: Math.min(SUBSET, count) });
  const subset = { scenes: sub.images, AP: r4(sub.AP), AP50: r4(sub.AP50), AP75: r4(sub.AP75) };
  det.dispose();
  await writeFile(`${out}/scores.json`, JSON.stringify({ benchmark: { ...BENCHMARK, count: bench.length }, msPerImageAllOutputs: msPerImage, scores, subset }, null, 1));
  for (const [k, v] of Object.entries(scores)) console.log(`${k}: AP ${v.AP} AP50 ${v.AP50} AP75 ${v.AP75}`);
  const row = (name: string, s: (typeof scores)[string]) => `| ${name} | ${s.AP.toFixed(3)} | ${s.AP50.toFixed(3)} | ${s.AP75.toFixed(3)} | ${s.APs.toFixed(3)} | ${s.APm.toFixed(3)} | ${s.APl.toFixed(3)} |`;
  const r = training.recipe;
  const partial = count < BENCHMARK.count ? ` (the first ${count} of its ${BENCHMARK.count} scenes: the full benchmark did not fit the time left on the shared machine)` : '';
  await writeFile(
    `${out}/README.md`,
    `# Lesson 9: Cascade R-CNN on digit scenes

Made by \`npm run train:weights -- --only lesson-09\` (scripts/weights/lesson-09.ts, scores by scripts/weights/cascade-score.ts); do not edit by hand.

| | |
| --- | --- |
| model | Cascade R-CNN (Cai & Vasconcelos, CVPR 2018) on Faster R-CNN + FPN: \`resnet18\` ×${CASCADE_ARCH.backboneOptions.widthMultiplier} (C2..C5), FPN ${CASCADE_ARCH.neckChannels} channels, RPN 3 scales × 3 ratios, three two-MLP box heads (hidden ${CASCADE_ARCH.roi.hidden}) at IoU 0.5 / 0.6 / 0.7, loss weights 1 / 0.5 / 0.25, coder stds 0.1/0.2, 0.05/0.1, 0.033/0.067; ${training.params.toLocaleString('en')} parameters |
| data | fresh digit scenes every batch (\`trainingSceneBatches\`, data seed ${r.training.dataSeed}), 128×128, MNIST train split, generator defaults (1-6 digits of 8-64 px) |
| recipe | ${training.steps} of ${training.plannedSteps} planned steps, batch ${r.training.batchSize}, ${r.training.optimizer}, warmup ${r.warmupSteps} steps then cosine from lr ${r.training.lr} to 0 (the shipped Faster R-CNN's recipe, FASTER_RCNN_RECIPE, but for its 500 steps and 100 warmup steps); RPN top-k train ${CASCADE_ARCH.rpn.preNmsTopNTrain}/${CASCADE_ARCH.rpn.postNmsTopNTrain}, test ${CASCADE_ARCH.rpn.preNmsTopNTest}/${CASCADE_ARCH.rpn.postNmsTopNTest}; ${CASCADE_ARCH.roi.batchSizePerImage} RoIs per image per stage |
| seed | ${CASCADE_ARCH.seed} (detector), ${CASCADE_ARCH.backboneOptions.seed} (backbone), scenes ${r.training.dataSeed} |
| backend | Node, tfjs \`${training.backend}\` |
| training time | ${training.seconds} s (shared 2-core machine) |
| files | detector.json + weights.bin (${training.bytes.toLocaleString('en')} bytes), training.json (every step's loss terms), scores.json (benchmark per output, AP per IoU threshold) |

Benchmark: \`digitScenes({seed: ${BENCHMARK.seed}, count: ${bench.length}, size: ${BENCHMARK.size}, split: '${BENCHMARK.split}'})\`, COCO AP by \`core.evaluateCoco\`${partial}, score threshold 0.05, 100 detections per image; ${msPerImage} ms per image for all four outputs in one pass.

| output | AP | AP50 | AP75 | APs | APm | APl |
| --- | --- | --- | --- | --- | --- | --- |
${row("cascade (mean of the 3 stages' scores, stage 3 boxes)", scores.cascade)}
${row('stage 1 alone (IoU 0.5 head on the proposals)', scores.stage1)}
${row('stage 2 alone (IoU 0.6 head on stage 1 boxes)', scores.stage2)}
${row('stage 3 alone (IoU 0.7 head on stage 2 boxes)', scores.stage3)}

Subset re-measured by test/models/detectors/cascade-weights.test.ts: the first ${subset.scenes} benchmark scenes through \`evaluateSceneDetector\`, cascade AP ${subset.AP}, AP50 ${subset.AP50}, AP75 ${subset.AP75}.
`,
  );
}
