import { describe, expect, it } from 'vitest';
import { evaluateCoco, type CocoDetection, type CocoGroundTruth } from '../../../src/core/eval';
import { literalCocoEval } from './coco-literal-port';
import { randomWorkload } from './random-workload';
import { numpyPairwiseSum } from '../../../src/core/eval/numpy-sum';

// Reference semantics: pycocotools COCOeval (iouType 'bbox', default Params), cocoeval.py.

type Ann = CocoGroundTruth['annotations'][number];

function gtOf(anns: Partial<Ann>[], opts: { images?: number[]; categories?: number[] } = {}): CocoGroundTruth {
  return {
    images: (opts.images ?? [1]).map((id) => ({ id })),
    categories: (opts.categories ?? [1]).map((id) => ({ id, name: `cat${id}` })),
    annotations: anns.map((a, i) => {
      const bbox = a.bbox ?? [0, 0, 10, 10];
      return { id: i + 1, image_id: 1, category_id: 1, bbox, area: bbox[2] * bbox[3], iscrowd: 0, ...a };
    }),
  };
}

/** pycocotools' precision is tp / (tp + fp + eps), so a perfect score reads 1 - 2.2e-16: compare to 1e-12. */
function expectClose(got: object, expected: object): void {
  expect(Object.keys(got)).toEqual(Object.keys(expected));
  for (const [k, v] of Object.entries(expected)) expect((got as Record<string, number>)[k]).toBeCloseTo(v as number, 12);
}

function det(bbox: number[], score: number, extra: Partial<CocoDetection> = {}): CocoDetection {
  return { image_id: 1, category_id: 1, bbox, score, ...extra };
}

describe('evaluateCoco: hand-worked cases', () => {
  it('one gt, one identical detection: every AP and AR of its size range is 1, other ranges -1', () => {
    // bbox 50x40 with area 2000: medium (32^2=1024 <= 2000 <= 96^2=9216).
    const gt = gtOf([{ bbox: [10, 10, 50, 40], area: 2000 }]);
    const { stats, perCategory } = evaluateCoco(gt, [det([10, 10, 50, 40], 0.9)]);
    expectClose(stats, { AP: 1, AP50: 1, AP75: 1, APs: -1, APm: 1, APl: -1, AR1: 1, AR10: 1, AR100: 1, ARs: -1, ARm: 1, ARl: -1 });
    expect(perCategory).toEqual([{ categoryId: 1, name: 'cat1', ...stats }]);
  });

  it('a detection at IoU 0.62 matches at thresholds .50, .55, .60 only: AP = 3/10, AP50 = 1, AP75 = 0', () => {
    // gt [0,0,10,10], det [0,0,10,6.2]: inter 62, union 100, IoU 0.62.
    // Each matched threshold has precision 1 at all 101 recall points, the others 0.
    const { stats } = evaluateCoco(gtOf([{}]), [det([0, 0, 10, 6.2], 0.9)]);
    expect(stats.AP).toBeCloseTo(0.3, 12);
    expect(stats.AP50).toBeCloseTo(1, 12);
    expect(stats.AP75).toBe(0);
    expect(stats.AR100).toBeCloseTo(0.3, 12);
  });

  it('IoU exactly on a threshold matches (pycocotools skips only iou < t)', () => {
    // IoU 60/100 = 0.6 and linspace(.5,.95,10)[2] is the same double 0.6: matches at .50,.55,.60 -> AP 3/10.
    expect(evaluateCoco(gtOf([{}]), [det([0, 0, 10, 6], 0.9)]).stats.AP).toBeCloseTo(0.3, 12);
    // IoU 0.9; linspace gives 0.8999999999999999 for the 9th threshold, so .50..0.9 all match -> 9/10.
    expect(evaluateCoco(gtOf([{}]), [det([0, 0, 10, 9], 0.9)]).stats.AP).toBeCloseTo(0.9, 12);
  });

  it('a false positive ranked above the true positive halves precision; AR1 sees only the top detection', () => {
    // Sorted: FP (0.9), TP (0.8). tp=[0,1], fp=[1,1]; rc=[0,1]; pr=[0,0.5] -> monotone [0.5,0.5].
    // Every recall point reads 0.5 -> AP = 0.5. maxDets=1 keeps only the FP -> AR1 = 0; AR10 = 1.
    const { stats } = evaluateCoco(gtOf([{}]), [det([50, 50, 10, 10], 0.9), det([0, 0, 10, 10], 0.8)]);
    expect(stats.AP).toBeCloseTo(0.5, 12);
    expect(stats.AR1).toBe(0);
    expect(stats.AR10).toBe(1);
  });

  it('precision is made monotone from the right and sampled at 101 recall points', () => {
    // 2 gts. Sorted dets: TP, FP, TP. tp=[1,1,2], fp=[0,1,1]; rc=[.5,.5,1]; pr=[1,.5,.667].
    // Monotone: [1, .667, .667]. searchsorted left: r in [0,.5] -> index 0 (pr 1); r in (.5,1] -> index 2 (pr 2/3).
    // 51 points at 1 and 50 at 2/3: AP = (51 + 50*2/3)/101.
    const gt = gtOf([{ bbox: [0, 0, 10, 10] }, { bbox: [20, 0, 10, 10] }]);
    const dets = [det([0, 0, 10, 10], 0.9), det([50, 50, 10, 10], 0.8), det([20, 0, 10, 10], 0.7)];
    expect(evaluateCoco(gt, dets).stats.AP).toBeCloseTo((51 + (50 * 2) / 3) / 101, 12);
  });

  it('crowd ground truth: detections inside it are ignored, it can absorb many, and it never counts as a positive', () => {
    // Crowd C = [100,100,50,50]; dets inside it have IoU = inter / det area = 1, so they match C and are ignored.
    const anns = [{ bbox: [0, 0, 10, 10] }, { bbox: [100, 100, 50, 50], iscrowd: 1 }];
    const dets = [det([110, 110, 10, 10], 0.95), det([120, 120, 10, 10], 0.9), det([0, 0, 10, 10], 0.8)];
    expect(evaluateCoco(gtOf(anns), dets).stats.AP).toBeCloseTo(1, 12);
    // The same region as a regular gt: the two dets score IoU 100/2500 = 0.04 -> FPs above the TP.
    // pr = [0, 0, 1/3] -> monotone 1/3 everywhere; the big gt is never found: rc ends at 1/2.
    // AP = 1/3 over recall points 0..0.5 (51 of them), 0 after: 51/101 * 1/3.
    const regular = gtOf([anns[0], { bbox: [100, 100, 50, 50] }]);
    expect(evaluateCoco(regular, dets).stats.AP).toBeCloseTo(((51 / 101) * 1) / 3, 12);
    // A category whose only gt is a crowd has no positives: -1.
    expect(evaluateCoco(gtOf([{ iscrowd: 1 }]), [det([0, 0, 10, 10], 0.9)]).stats.AP).toBe(-1);
  });

  it('area ranges use the annotation area; unmatched detections outside a range and matches to out-of-range gts are ignored', () => {
    // Small gt S (area 100), large gt L (area 12000). Dets: F (area 400, no overlap, 0.99), S exact (0.9), L exact (0.8).
    const gt = gtOf([{ bbox: [0, 0, 10, 10] }, { bbox: [200, 200, 120, 100] }]);
    const dets = [det([400, 400, 20, 20], 0.99), det([0, 0, 10, 10], 0.9), det([200, 200, 120, 100], 0.8)];
    const { stats } = evaluateCoco(gt, dets);
    // all: tp=[0,1,2], fp=[1,1,1], pr=[0,.5,2/3] -> monotone 2/3 at every recall point.
    expect(stats.AP).toBeCloseTo(2 / 3, 12);
    // small: L ignored, the L det matches an ignored gt -> ignored; F (400 <= 1024) is a FP: pr=[0,.5] -> 0.5.
    expect(stats.APs).toBeCloseTo(0.5, 12);
    // medium: no gt -> -1. large: S ignored, its det ignored; F unmatched and small -> ignored; AP 1.
    expect(stats.APm).toBe(-1);
    expect(stats.APl).toBeCloseTo(1, 12);
    // The range is read from `area`, not from the box: a 10x10 box with area 5000 is medium.
    const relabelled = evaluateCoco(gtOf([{ bbox: [0, 0, 10, 10], area: 5000 }]), [det([0, 0, 10, 10], 0.5)]).stats;
    expectClose([relabelled.APs, relabelled.APm], [-1, 1]);
  });

  it('maxDets keeps the best 100 detections per image and category', () => {
    // 100 FPs scored above the TP push it to rank 101: it is dropped, AR100 = 0 and AP = 0.
    const fps = Array.from({ length: 100 }, (_, i) => det([100 + i, 100, 5, 5], 0.9));
    const { stats } = evaluateCoco(gtOf([{}]), [...fps, det([0, 0, 10, 10], 0.5)]);
    expect([stats.AP, stats.AR100]).toEqual([0, 0]);
    // With 99 FPs the TP is the 100th: recall 1, precision 1/100 at every recall point.
    const kept = evaluateCoco(gtOf([{}]), [...fps.slice(1), det([0, 0, 10, 10], 0.5)]).stats;
    expect(kept.AR100).toBe(1);
    expect(kept.AP).toBeCloseTo(1 / 100, 12);
  });

  it('ground truth given back as detections scores AP 1', () => {
    const { gt } = randomWorkload({ images: 20, categories: 4, gtPerImage: 5, detsPerImage: 0, seed: 7, crowd: 0 });
    const dets = gt.annotations.map((a) => ({ image_id: a.image_id, category_id: a.category_id, bbox: a.bbox, score: 1 }));
    const { stats } = evaluateCoco(gt, dets);
    expectClose([stats.AP, stats.AP50, stats.AP75, stats.AR100], [1, 1, 1, 1]);
  });

  it('no detections: AP and AR are 0 where ground truth exists', () => {
    const { stats } = evaluateCoco(gtOf([{}]), []);
    expect([stats.AP, stats.AP50, stats.APs, stats.AR100, stats.APm]).toEqual([0, 0, 0, 0, -1]);
  });

  it('categories without ground truth are -1 and leave the mean alone', () => {
    const gt = gtOf([{}], { categories: [1, 2] });
    const { stats, perCategory } = evaluateCoco(gt, [det([0, 0, 10, 10], 0.9), det([0, 0, 10, 10], 0.9, { category_id: 2 })]);
    expectClose(perCategory.map((c) => c.AP), [1, -1]);
    expect(perCategory.map((c) => c.categoryId)).toEqual([1, 2]);
    expect(stats.AP).toBeCloseTo(1, 12);
    // Detections of a category missing from the ground truth are left out, as pycocotools' getAnnIds does.
    expect(evaluateCoco(gtOf([{}]), [det([0, 0, 10, 10], 0.99, { category_id: 9 }), det([0, 0, 10, 10], 0.5)]).stats.AP).toBeCloseTo(1, 12);
  });

  it('an image without annotations still counts its detections as false positives', () => {
    // pycocotools evaluateImg returns None only when an image has neither gt nor dt; image 2 has dt only, so its
    // detection is unmatched, inside every area range it is judged in (100 px: all, small), and a false positive.
    const gt = gtOf([{ bbox: [0, 0, 10, 10] }], { images: [1, 2] });
    // Ranked over both images: FP on image 2 (0.9), TP on image 1 (0.8). tp = [0, 1], fp = [1, 1];
    // rc = [0, 1], pr = [0, 1/2] -> made non-increasing from the right: [1/2, 1/2]. Every recall point
    // r in 0:.01:1 reads searchsorted(rc, r, 'left') -> 1/2, at each of the 10 IoU thresholds: AP = 1/2.
    const dets = [det([0, 0, 10, 10], 0.9, { image_id: 2 }), det([0, 0, 10, 10], 0.8)];
    const fpFirst = evaluateCoco(gt, dets).stats;
    expect(fpFirst.AP).toBeCloseTo(0.5, 12);
    expect(literalCocoEval(gt, dets).stats[0]).toBeCloseTo(0.5, 12);
    expect(fpFirst.APs).toBeCloseTo(0.5, 12);
    expect(fpFirst.APm).toBe(-1);
    // Recall is per image (maxDets per image): image 1's one detection finds its gt even at maxDets 1.
    expect([fpFirst.AR1, fpFirst.AR100]).toEqual([1, 1]);
    // Scored below the TP: tp = [1, 1], fp = [0, 1]; pr = [1, 1/2], rc = [1, 1]; every recall point reads index 0 -> AP 1.
    const fpLast = evaluateCoco(gt, [det([0, 0, 10, 10], 0.7, { image_id: 2 }), det([0, 0, 10, 10], 0.8)]).stats;
    expect(fpLast.AP).toBeCloseTo(1, 12);
  });

  it('touching boxes do not overlap: IoU 0, a false positive at every threshold', () => {
    // pycocotools' bbox IoU (maskUtils.iou): ow = min(10, 20) - max(0, 10) = 0 -> intersection 0 -> IoU 0 < .5.
    // Ranked: touching FP (0.9), exact TP (0.8): pr [0, 1/2] -> [1/2, 1/2] everywhere -> AP 1/2 (as above).
    const { stats } = evaluateCoco(gtOf([{ bbox: [0, 0, 10, 10] }]), [det([10, 0, 10, 10], 0.9), det([0, 0, 10, 10], 0.8)]);
    expect(stats.AP).toBeCloseTo(0.5, 12);
    expect(stats.AP50).toBeCloseTo(0.5, 12);
    // Alone, the touching box finds nothing.
    expect(evaluateCoco(gtOf([{ bbox: [0, 0, 10, 10] }]), [det([10, 0, 10, 10], 0.9)]).stats.AP50).toBe(0);
  });

  it('includePrecision returns pycocotools-shaped precision [T,R,K,A,M] and recall [T,K,A,M]', () => {
    const res = evaluateCoco(gtOf([{}]), [det([0, 0, 10, 10], 0.9)], { includePrecision: true });
    expect(res.precision!.shape).toEqual([10, 101, 1, 4, 3]);
    expect(res.recall!.shape).toEqual([10, 1, 4, 3]);
    // A small gt: area range 'medium' (a=2) has no gt -> -1; 'all' (a=0) precision 1.
    expect(res.precision!.data[2]).toBe(1 / (1 + 2.220446049250313e-16)); // t=0,r=0,k=0,a=0,m=2: tp/(tp+fp+eps)
    expect(res.precision!.data[2 * 3 + 2]).toBe(-1); // a=2, m=2
  });
});

describe('evaluateCoco against pycocotools', () => {
  // Stats computed by running the methods of pycocotools' cocoeval.py (evaluate, evaluateImg,
  // accumulate, summarize; official cocodataset/cocoapi) under numpy 2.4 with a plain bbox-IoU
  // in place of maskUtils.iou, on these seeded workloads.
  const golden: [Parameters<typeof randomWorkload>[0], number[]][] = [
    [
      { images: 30, categories: 5, gtPerImage: 6, detsPerImage: 40, seed: 1 },
      [0.5253298790414668, 0.6919888574721093, 0.6189164746165853, 0.5551694231280857, 0.490191723926836, 0.6400072272461229,
        0.429306824408692, 0.8113237843713226, 0.8119689456616453, 0.8051336898395722, 0.8190000000000001, 0.8137307692307694],
    ],
    [
      { images: 20, categories: 2, gtPerImage: 8, detsPerImage: 150, seed: 2, scoreDecimals: 1, crowd: 0.2, emptyCategories: 1 },
      [0.5027185034678493, 0.671344028071725, 0.6182389924079117, 0.5226782171406208, 0.5456530040546774, 0.4823455727466695,
        0.10406504065040652, 0.634959349593496, 0.8471544715447156, 0.8703703703703705, 0.8535714285714286, 0.8121951219512195],
    ],
    [
      { images: 50, categories: 8, gtPerImage: 3, detsPerImage: 20, seed: 3, scoreDecimals: 2, crowd: 0.1 },
      [0.5556182824658079, 0.7087147223885154, 0.6313860893164505, 0.6706370117857343, 0.4979866503676105, 0.5503809762601987,
        0.6167454481792717, 0.8502056277056276, 0.8502056277056276, 0.8665277777777778, 0.8418749999999999, 0.817202380952381],
    ],
  ];
  it.each(golden.map(([spec, stats], i) => [i, spec, stats] as const))('workload %i matches to 1e-9', (_i, spec, expected) => {
    const { gt, dets } = randomWorkload(spec);
    const got = Object.values(evaluateCoco(gt, dets).stats);
    got.forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThan(1e-9));
  });
});

describe('evaluateCoco against the literal port of cocoeval.py', () => {
  const specs = [
    { images: 25, categories: 4, gtPerImage: 6, detsPerImage: 30, seed: 11 },
    // Many detections per (image, category) exercise the top-100 cut; rounded scores exercise ties.
    { images: 8, categories: 1, gtPerImage: 10, detsPerImage: 130, seed: 12, scoreDecimals: 1, crowd: 0.15 },
    { images: 40, categories: 6, gtPerImage: 2, detsPerImage: 12, seed: 13, scoreDecimals: 2, crowd: 0.1, emptyCategories: 2 },
  ];
  it.each(specs.map((s, i) => [i, s] as const))('workload %i: stats, precision and recall agree to 1e-9', (_i, spec) => {
    const { gt, dets } = randomWorkload(spec);
    // Some gt ids of 0, which pycocotools reads back as "unmatched".
    gt.annotations.forEach((a, i) => {
      if (i % 17 === 3) a.id = 0;
    });
    const fast = evaluateCoco(gt, dets, { includePrecision: true });
    const lit = literalCocoEval(gt, dets);
    Object.values(fast.stats).forEach((v, j) => expect(Math.abs(v - lit.stats[j])).toBeLessThan(1e-9));
    const [T, R, K, A, M] = fast.precision!.shape;
    let maxDiff = 0;
    for (let t = 0; t < T; t++) {
      for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) for (let a = 0; a < A; a++) for (let m = 0; m < M; m++) {
        maxDiff = Math.max(maxDiff, Math.abs(fast.precision!.data[(((t * R + r) * K + k) * A + a) * M + m] - lit.precision[t][r][k][a][m]));
      }
      for (let k = 0; k < K; k++) for (let a = 0; a < A; a++) for (let m = 0; m < M; m++) {
        maxDiff = Math.max(maxDiff, Math.abs(fast.recall!.data[((t * K + k) * A + a) * M + m] - lit.recall[t][k][a][m]));
      }
    }
    expect(maxDiff).toBeLessThan(1e-9);
  });
});

describe('evaluateCoco: bad input', () => {
  const gt = gtOf([{}]);
  it.each([
    ['a detection on an unknown image', () => evaluateCoco(gt, [det([0, 0, 1, 1], 0.5, { image_id: 42 })]), /evaluateCoco: 'detections\[0\]\.image_id' must be the id of an image/],
    ['a NaN coordinate', () => evaluateCoco(gt, [det([0, NaN, 1, 1], 0.5)]), /'detections\[0\]\.bbox' must be four finite numbers/],
    ['a negative width', () => evaluateCoco(gt, [det([0, 0, -1, 1], 0.5)]), /'detections\[0\]\.bbox' must be a box with non-negative width/],
    ['a missing score', () => evaluateCoco(gt, [{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] } as CocoDetection]), /'detections\[0\]\.score' must be a finite number/],
    ['a missing area', () => evaluateCoco({ ...gt, annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], iscrowd: 0 } as Ann] }, []), /'groundTruth\.annotations\[0\]\.area'/],
    ['a missing iscrowd', () => evaluateCoco({ ...gt, annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1], area: 1 } as Ann] }, []), /'groundTruth\.annotations\[0\]\.iscrowd'/],
    ['a short bbox', () => evaluateCoco(gtOf([{ bbox: [0, 0, 1] }]), []), /'groundTruth\.annotations\[0\]\.bbox' must be an array \[x, y, width, height\]/],
    ['no images array', () => evaluateCoco({ annotations: [], categories: [] } as unknown as CocoGroundTruth, []), /'groundTruth\.images' must be an array/],
    ['detections not an array', () => evaluateCoco(gt, {} as CocoDetection[]), /'detections' must be an array/],
  ])('%s throws a named error', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('means summed as numpy sums them (np.mean in pycocotools _summarize)', () => {
  it('numpyPairwiseSum gives np.sum to the last bit, where a plain loop does not', () => {
    // numpy 2.4: np.sum(np.full(1000, 0.1)) = 100.00000000000001; Python's sum([0.1] * 1000) = 99.9999999999986.
    expect(numpyPairwiseSum(new Array(1000).fill(0.1))).toBe(100.00000000000001);
    // np.sum(np.array([((i * 7919) % 1000) / 997 for i in range(300)])) = 150.60180541624874 (a plain loop: ...896).
    expect(numpyPairwiseSum(Array.from({ length: 300 }, (_, i) => ((i * 7919) % 1000) / 997))).toBe(150.60180541624874);
    expect(numpyPairwiseSum([1, 2, 3])).toBe(6);
    expect(numpyPairwiseSum([])).toBe(0);
  });

  it('a perfect detector scores exactly what pycocotools prints unrounded', () => {
    // Every one of the 10 x 101 precision entries is 1 / (1 + eps) = 0.9999999999999998;
    // np.mean of those 1010 values is 0.9999999999999998 (a plain running sum would give 0.9999999999999999).
    const gt = gtOf([{ bbox: [10, 10, 50, 40], area: 2000 }]);
    expect(evaluateCoco(gt, [det([10, 10, 50, 40], 0.9)]).stats.AP).toBe(0.9999999999999998);
  });
});
