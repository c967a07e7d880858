import { describe, expect, it } from 'vitest';
import {
  batchedNms,
  boxArea,
  cellAnchors,
  completeBoxIou,
  crossEntropy,
  distanceBoxIou,
  evaluateVoc,
  generateAnchors,
  giouLoss,
  gridAnchors,
  labelsFromMatches,
  nmsSteps,
  sampleBalanced,
  seededRandom,
  softNms,
} from '../../src/core/index';
import { expectClose, noLeak, take } from './helpers';

// The examples written in docs/api/core.md and docs/api/core-eval.md, checked so the pages cannot
// drift from the code. Each value there is worked from its reference; the reference is named per case.
describe('docs/api examples', () => {
  it('boxes and the IoU family (torchvision.ops box_area, distance_box_iou, complete_box_iou)', () =>
    noLeak(() => {
      expectClose(take<number[]>(boxArea([[0, 0, 2, 3], [1, 1, 1, 5]])), [6, 0]);
      expectClose(take(distanceBoxIou([[0, 0, 2, 2]], [[1, 0, 3, 2]])), [[1 / 3 - 1 / 13]]);
      const v = (4 / Math.PI ** 2) * (Math.atan(1) - Math.atan(2)) ** 2;
      expectClose(take(completeBoxIou([[0, 0, 2, 2]], [[0, 0, 4, 2]])), [[0.45 - (v / (0.5 + v)) * v]]);
      expectClose(take(completeBoxIou([[0, 0, 2, 2]], [[0, 0, 4, 2]])), [[0.4468]], 1e-4);
    }));

  it('the NMS family (torchvision batched_nms; Soft-NMS paper, Algorithm 1)', () =>
    noLeak(async () => {
      expect(await batchedNms([[0, 0, 10, 10], [1, 1, 11, 11], [1, 1, 11, 11]], [0.9, 0.8, 0.7], [0, 0, 1], 0.5)).toEqual([0, 2]);
      const lin = await softNms([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], { method: 'linear', iouThreshold: 0.3 });
      expect(lin.indices).toEqual([0, 2, 1]);
      expectClose(lin.scores, [0.9, 0.7, 0.8 * (1 - 81 / 119)]);
      expectClose(lin.scores[2], 0.2555, 1e-4);
      const gauss = await softNms([[0, 0, 10, 10], [1, 1, 11, 11]], [0.9, 0.8]);
      expectClose(gauss.scores, [0.9, 0.3167], 1e-4);
      const steps = nmsSteps([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5);
      expect(steps.map(({ kept, suppressed, remaining }) => ({ kept, suppressed, remaining }))).toEqual([
        { kept: 0, suppressed: [1], remaining: [2] },
        { kept: 2, suppressed: [], remaining: [] },
      ]);
      expectClose(steps[0].ious, [1, 0.6807, 0], 1e-4);
    }));

  it('anchors (py-faster-rcnn generate_anchors; torchvision AnchorGenerator)', () =>
    noLeak(() => {
      expect(generateAnchors().slice(0, 4)).toEqual([[-84, -40, 99, 55], [-176, -88, 191, 103], [-360, -184, 375, 199], [-56, -56, 71, 71]]);
      expect(generateAnchors({ baseSize: 16, ratios: [1], scales: [1, 2] })).toEqual([[0, 0, 15, 15], [-8, -8, 23, 23]]);
      expect(cellAnchors([32], [0.5, 1, 2])).toEqual([[-23, -11, 23, 11], [-16, -16, 16, 16], [-11, -23, 11, 23]]);
      expect(take(gridAnchors({ featureSizes: [[2, 2]], strides: [16], sizes: [[32]], aspectRatios: [[1]] }))).toEqual([
        [-16, -16, 16, 16], [0, -16, 32, 16], [-16, 0, 16, 32], [0, 0, 32, 32],
      ]);
    }));

  it('matching and sampling (torchvision RPN labels, BalancedPositiveNegativeSampler; mulberry32)', () => {
    expect(labelsFromMatches([2, -1, -2, 0])).toEqual([1, 0, -1, 1]);
    expect(sampleBalanced([1, 0, 0, -1, 1, 0, 0, 0], { batchSizePerImage: 4, positiveFraction: 0.25, seed: 1 })).toEqual({ positive: [4], negative: [1, 6, 7] });
    const rand = seededRandom(42);
    expect([rand(), rand(), rand()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('losses (torchvision generalized_box_iou_loss; torch cross_entropy)', () =>
    noLeak(() => {
      expectClose(take<number[]>(giouLoss([[0, 0, 1, 1], [0, 0, 2, 2]], [[2, 0, 3, 1], [0, 0, 2, 2]])), [4 / 3, 0]);
      expectClose(take<number>(crossEntropy([[0, 0], [2, 0]], [1, 0])), (Math.log(2) + Math.log(1 + Math.exp(-2))) / 2);
      expectClose(take<number>(crossEntropy([[0, 0], [2, 0]], [1, 0])), 0.41, 1e-4);
      expectClose(take<number[]>(crossEntropy([[0, 0], [1, 2]], [1, -100], { reduction: 'none' })), [Math.log(2), 0]);
    }));

  it('evaluateVoc (VOC devkit VOCevaldet.m: +1 pixel areas, ovmax >= minoverlap)', () => {
    const gt = {
      images: [{ id: 1 }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 2, 2], area: 4, iscrowd: 0 }],
      categories: [{ id: 1, name: 'digit' }],
    };
    const dets = [{ image_id: 1, category_id: 1, bbox: [1, 0, 2, 2], score: 0.9 }];
    const res = evaluateVoc(gt, dets, { iouThreshold: 0.5 });
    expect(res.mAP).toBe(1);
    expect(res.perCategory[0]).toEqual({ categoryId: 1, name: 'digit', AP: 1, precision: [1], recall: [1], positives: 1 });
    expect(evaluateVoc(gt, dets, { iouThreshold: 0.6 }).mAP).toBe(0);
  });
});
