import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBackbone } from '../../../src/models/backbones/index';
import {
  CASCADE_STAGES,
  createCascadeRcnn,
  listDetectors,
  nextStageProposals,
  regressByClass,
  stageTargets,
  detectorToFiles,
  loadDetectorWeights,
  CASCADE_SCENE,
  FASTER_RCNN_SCENE,
  SCENE_DETECTORS,
  type CascadeStage,
} from '../../../src/models/detectors/index';

// Cascade R-CNN (Cai & Vasconcelos, CVPR 2018) as mmdetection's CascadeRoIHead with cascade_rcnn_r50_fpn's
// numbers: stage IoUs 0.5 / 0.6 / 0.7, loss weights 1 / 0.5 / 0.25, target stds 0.1/0.2, 0.05/0.1, 0.033/0.067
// (coder weights 10/5 times 1, 2, 3). The training run is in cascade-rcnn-train.test.ts.

const small = (stages?: CascadeStage[], seed = 0) =>
  createCascadeRcnn({
    backbone: buildBackbone('resnet18', { inputShape: [64, 64, 1], widthMultiplier: 1 / 16, features: true, seed: 2 + seed }),
    numClasses: 3,
    classNames: ['a', 'b', 'c'],
    neckChannels: 8,
    rpn: { preNmsTopNTest: 60, postNmsTopNTest: 12, preNmsTopNTrain: 100, postNmsTopNTrain: 50 },
    roi: { batchSizePerImage: 32, hidden: 16 },
    stages,
    seed,
  });

// One object, gt [0, 0, 10, 10] of class 2 (label 3 with background 0), and four proposals sharing its
// left, top and right edges, so IoU = height / 10.
const GT = [[[0, 0, 10, 10]]];
const LABELS = [[2]];
const A = [0, 0, 10, 8]; // IoU 0.8
const B = [0, 0, 10, 6.5]; // IoU 0.65
const C = [0, 0, 10, 5.5]; // IoU 0.55
const D = [0, 0, 10, 4]; // IoU 0.4
const PROPOSALS = [Float32Array.from([...A, ...B, ...C, ...D])];
// Targets of A with weights (10, 10, 5, 5): widths equal → dx = dw = 0; centres y 4 → 5, height 8:
// dy = 10·(5 - 4)/8 = 1.25, dh = 5·ln(10/8) = 1.11572. B: dy = 10·(5 - 3.25)/6.5 = 2.69231, dh = 5·ln(10/6.5) = 2.15391.
const T_A = [0, 1.25, 0, 5 * Math.log(10 / 8)];
const T_B = [0, 10 * 1.75 / 6.5, 0, 5 * Math.log(10 / 6.5)];
// C: centre y 2.75, height 5.5 → dy = 10·2.25/5.5 = 4.09091, dh = 5·ln(10/5.5) = 2.98927.
const T_C = [0, 10 * 2.25 / 5.5, 0, 5 * Math.log(10 / 5.5)];
const key = (b: ArrayLike<number>) => Array.from(b).join(',');

describe('stageTargets: each stage samples at its own IoU and encodes with its own stds', () => {
  it('stage 1 (IoU 0.5): A, B, C and the gt copy foreground, D background; targets in stds 0.1/0.2', () => {
    const before = tf.memory().numTensors;
    const expected: [CascadeStage, string[], string[], number][] = [
      // stage, foreground boxes, background boxes, coder scale applied to T_A / T_B
      [CASCADE_STAGES[0], [key(A), key(B), key(C), key(GT[0][0])], [key(D)], 1],
      [CASCADE_STAGES[1], [key(A), key(B), key(GT[0][0])], [key(C), key(D)], 2],
      [CASCADE_STAGES[2], [key(A), key(GT[0][0])], [key(B), key(C), key(D)], 3],
    ];
    for (const [stage, fg, bg, k] of expected) {
      const s = stageTargets(PROPOSALS, GT, LABELS, stage, { batchSizePerImage: 512, positiveFraction: 0.25, seed: 1 });
      const P = s.targets.shape[0];
      expect(P, `stage IoU ${stage.iou}`).toBe(fg.length);
      expect(s.rois.slice(0, P).map((r) => key(r.box)).sort()).toEqual([...fg].sort());
      expect(s.rois.slice(P).map((r) => key(r.box)).sort()).toEqual([...bg].sort());
      expect(s.rois.map((r) => r.label)).toEqual([...fg.map(() => 3), ...bg.map(() => 0)]);
      // Each foreground row's target, found by its box: A, B, C's scaled by the stage's k, the gt copy's 0.
      const t = s.targets.arraySync();
      const byBox = new Map([[key(A), T_A], [key(B), T_B], [key(C), T_C], [key(GT[0][0]), [0, 0, 0, 0]]]);
      s.rois.slice(0, P).forEach((r, i) => {
        const want = byBox.get(key(r.box))?.map((v) => v * k);
        expect(want, key(r.box)).toBeDefined();
        want!.forEach((v, j) => expect(t[i][j]).toBeCloseTo(v, 4));
      });
      // (batchIndex, x1, y1, x2, y2) rows for RoIAlign, in the RoIs' order.
      expect(Array.from(s.flat.subarray(0, 5))).toEqual([0, ...Array.from(s.rois[0].box)]);
      s.targets.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('nextStageProposals regresses foreground by its class, background by the best predicted class, drops the gt copies', () => {
    const before = tf.memory().numTensors;
    const rois = [
      { b: 0, box: Float32Array.from(A), label: 3 },
      { b: 0, box: Float32Array.from(GT[0][0]), label: 3 },
      { b: 0, box: Float32Array.from(D), label: 0 },
    ];
    // 3 classes + background: 4 logit columns, 16 delta columns (class c at 4c..4c+3).
    const logits = tf.tensor2d([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [5, 0, 2, 1], // background wins, but the best foreground class is 2
    ]);
    const row = (c: number, d: number[]) => Array.from({ length: 16 }, (_, j) => (Math.floor(j / 4) === c ? d[j % 4] : 9));
    const deltas = tf.tensor2d([
      row(3, T_A.map((v) => v * 3)), // A's stage-3 targets in stage 3's coder: back to the gt box
      row(3, [0, 0, 0, 0]),
      row(2, [0, 0, 0, 0]), // class 2's deltas are 0: D stays; class 3's (9s) must not be used
    ]);
    const next = nextStageProposals(rois, logits, deltas, GT, 3, [64, 64]);
    expect(next.length).toBe(1);
    const got = Array.from(next[0]);
    expect(got.length).toBe(8);
    [0, 0, 10, 10, ...D].forEach((v, j) => expect(got[j]).toBeCloseTo(v, 3));
    tf.dispose([logits, deltas]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('regressByClass divides by the coder scale, clips to the image and names bad classes', () => {
    const deltas = tf.tensor2d([[0, 0, 0, 0, 0, 0, 0, 0]]);
    // Deltas 0 leave the box; the part outside the 32x32 image is clipped.
    expect(Array.from(regressByClass([-4, 2, 40, 20], deltas, [1], 2, [32, 32]))).toEqual([0, 2, 32, 20]);
    expect(() => regressByClass([0, 0, 4, 4], deltas, [0], 1, [32, 32])).toThrow(/regressByClass: 'classes' must be 1\.\.1 \(0 is background\), got 0/);
    expect(() => regressByClass([0, 0, 4, 4], deltas, [1], 0, [32, 32])).toThrow(/'scale' must be a positive number/);
    deltas.dispose();
  });
});

describe('CascadeRcnn', () => {
  it('is registered beside Faster R-CNN; heads[0] is the base detector\'s box head', () => {
    expect(listDetectors().map((d) => d.name)).toContain('cascade-rcnn');
    const det = small();
    expect(det.heads.length).toBe(3);
    expect(det.heads[0]).toBe(det.base.boxHead);
    expect(Object.keys(det.models)).toEqual(['body', 'head1', 'head2', 'head3']);
    det.dispose();
  });

  it('weighs the stage losses 1, 0.5, 0.25 and the gradient reaches all three heads', () => {
    const det = small();
    // By hand: rpn 1 + 2; stage 1: 1·(3 + 4) = 7; stage 2: 0.5·(5 + 6) = 5.5; stage 3: 0.25·(7 + 8) = 3.75 → 19.25.
    const names = ['rpnObjectness', 'rpnBox', 'classifier1', 'box1', 'classifier2', 'box2', 'classifier3', 'box3'];
    const terms = Object.fromEntries(names.map((n, i) => [n, tf.scalar(i + 1)]));
    const total = det.totalLoss(terms);
    expect(total.dataSync()[0]).toBeCloseTo(19.25, 5);
    // Weights 1, 0, 0: only the first stage counts → 3 + 7 = 10.
    const firstOnly = small([{ iou: 0.5, lossWeight: 1, coderScale: 1 }, { iou: 0.6, lossWeight: 0, coderScale: 2 }, { iou: 0.7, lossWeight: 0, coderScale: 3 }]);
    const t2 = firstOnly.totalLoss(terms);
    expect(t2.dataSync()[0]).toBeCloseTo(10, 5);
    tf.dispose([total, t2, ...Object.values(terms)]);
    firstOnly.dispose();

    const before = tf.memory().numTensors;
    const images = tf.tidy(() => tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3)) as tf.Tensor4D;
    const batch = { images, boxes: [[[10, 10, 30, 34]], [[5, 40, 25, 60], [40, 4, 60, 20]]], labels: [[0], [1, 2]] };
    let seen: Record<string, number> = {};
    let recomputed = 0;
    const { value, grads } = tf.variableGrads(() => {
      const { loss, terms: t } = det.trainStep(batch);
      seen = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.dataSync()[0]]));
      recomputed = det.totalLoss(t).dataSync()[0];
      return loss;
    }, det.variables);
    expect(Object.keys(seen)).toEqual(names);
    for (const n of names) expect(Number.isFinite(seen[n]), n).toBe(true);
    const byHand = seen.rpnObjectness + seen.rpnBox + (seen.classifier1 + seen.box1) + 0.5 * (seen.classifier2 + seen.box2) + 0.25 * (seen.classifier3 + seen.box3);
    expect(value.dataSync()[0]).toBeCloseTo(byHand, 4);
    expect(recomputed).toBeCloseTo(byHand, 4);
    for (const h of det.heads) for (const w of h.trainableWeights) expect(grads[(w.read() as tf.Variable).name], w.name).toBeDefined();
    expect(Object.keys(grads).length).toBe(det.variables.length);
    tf.dispose([value, images, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    det.dispose();
  });

  it("detect scores a box by the mean of the three stages' probabilities and places it by the last stage", async () => {
    const det = small();
    const image = tf.tidy(() => tf.randomUniform([64, 64, 1], 0, 1, 'float32', 4)) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const stages = det.stagesOf(image);
    expect(stages.length).toBe(3);
    // Stage t + 1 pools the boxes stage t regressed.
    expect(Array.from(stages[1].inputs)).toEqual(Array.from(stages[0].refined));
    expect(Array.from(stages[2].inputs)).toEqual(Array.from(stages[1].refined));
    const K = stages[0].inputs.length / 4;
    const mean = new Float32Array(K * 4);
    for (let i = 0; i < mean.length; i++) mean[i] = (stages[0].probs[i] + stages[1].probs[i] + stages[2].probs[i]) / 3;
    const foreground = (p: Float32Array) => Array.from(p).filter((_, i) => i % 4 !== 0);
    const best = (p: Float32Array) => Math.max(...foreground(p));
    const cascade = await det.detect(image, { scoreThreshold: 0, maxDetections: 200 });
    expect(cascade[0].score).toBeCloseTo(best(mean), 5);
    // Every score is one of the mean probabilities (class ≥ 1).
    const means = foreground(mean);
    for (const d of cascade) expect(means.some((m) => Math.abs(m - d.score) < 1e-5), String(d.score)).toBe(true);
    // The last stage alone scores by its own probabilities, which differ from the mean.
    const last = await det.detect(image, { scoreThreshold: 0, maxDetections: 200, output: 3 });
    expect(last[0].score).toBeCloseTo(best(stages[2].probs), 5);
    expect(Math.abs(last[0].score - cascade[0].score)).toBeGreaterThan(1e-4);
    const first = await det.detect(image, { scoreThreshold: 0, maxDetections: 200, output: 1 });
    expect(first[0].score).toBeCloseTo(best(stages[0].probs), 5);
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
    det.dispose();
  });

  it('stagesOf with given boxes and classes, independent: every head sees the same boxes', () => {
    const det = small();
    const image = tf.zeros([64, 64, 1]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const out = det.stagesOf(image, { boxes: [8, 8, 40, 40, 20, 4, 60, 30], classes: [1, 3], independent: true });
    for (const s of out) {
      expect(Array.from(s.inputs)).toEqual([8, 8, 40, 40, 20, 4, 60, 30]);
      expect(Array.from(s.classes)).toEqual([1, 3]);
    }
    expect(() => det.stagesOf(image, { boxes: [1, 2, 3] })).toThrow(/stagesOf: 'boxes' must be flat x1,y1,x2,y2/);
    expect(() => det.stagesOf(image, { boxes: [1, 2, 3, 4], classes: [1, 2] })).toThrow(/stagesOf: 'classes' must be one class per given box/);
    expect(tf.memory().numTensors).toBe(before);
    image.dispose();
    det.dispose();
  });

  it('names bad stages and outputs', async () => {
    expect(() => small([])).toThrow(/CascadeRcnn: 'stages' must be a non-empty array/);
    expect(() => small([{ iou: 1.2, lossWeight: 1, coderScale: 1 }])).toThrow(/'stages\[0\]\.iou' must be a number in \(0, 1\), got 1.2/);
    expect(() => small([{ iou: 0.5, lossWeight: -1, coderScale: 1 }])).toThrow(/'stages\[0\]\.lossWeight'/);
    expect(() => small([{ iou: 0.5, lossWeight: 1, coderScale: 0 }])).toThrow(/'stages\[0\]\.coderScale' must be a positive number/);
    const det = small();
    const image = tf.zeros([64, 64, 1]) as tf.Tensor3D;
    await expect(det.detect(image, { output: 4 })).rejects.toThrow(/detect: 'output' must be 'cascade' or a stage 1\.\.3, got 4/);
    await expect(det.detect(image, { scoreThreshold: 2 })).rejects.toThrow(/'scoreThreshold' must be a number in \[0, 1\]/);
    image.dispose();
    det.dispose();
  });

  it("det-core's detector files round-trip into a detector built from another seed", async () => {
    const a = small(undefined, 0);
    const b = small(undefined, 1);
    const image = tf.tidy(() => tf.randomUniform([64, 64, 1], 0, 1, 'float32', 5)) as tf.Tensor3D;
    const files = await detectorToFiles(a);
    expect(JSON.parse(files.manifest).models.map((m: { name: string }) => m.name)).toEqual(['body', 'head1', 'head2', 'head3']);
    expect(await b.detect(image, { scoreThreshold: 0 })).not.toEqual(await a.detect(image, { scoreThreshold: 0 }));
    const before = tf.memory().numTensors;
    loadDetectorWeights(b, files);
    expect(tf.memory().numTensors).toBe(before);
    expect(await b.detect(image, { scoreThreshold: 0 })).toEqual(await a.detect(image, { scoreThreshold: 0 }));
    image.dispose();
    a.dispose();
    b.dispose();
  });

  it("is SCENE_DETECTORS' 'cascade-rcnn', on the shipped Faster R-CNN's architecture", () => {
    const { size, backbone, backboneOptions, ...detector } = CASCADE_SCENE;
    expect(size).toBe(128);
    expect({ backbone, backboneOptions, detector }).toEqual({ backbone: FASTER_RCNN_SCENE.backbone, backboneOptions: FASTER_RCNN_SCENE.backboneOptions, detector: FASTER_RCNN_SCENE.detector });
    expect(SCENE_DETECTORS.get('cascade-rcnn').weights).toBe('lesson-09/cascade-rcnn');
  });
});
