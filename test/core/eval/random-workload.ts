import type { CocoDetection, CocoGroundTruth } from '../../../src/core/eval';
import { seededRandom } from '../../../src/util/random';

// Re-exported so the workloads and the tests that build on them share one generator.
export { seededRandom };

export interface WorkloadSpec {
  images: number;
  categories: number;
  gtPerImage: number;
  detsPerImage: number;
  seed: number;
  /** Fraction of crowd ground truths. */
  crowd?: number;
  /** Round scores to this many decimals so ties occur. */
  scoreDecimals?: number;
  /** Leave some categories without ground truth. */
  emptyCategories?: number;
}

/**
 * A COCO-shaped workload: ground truth of all sizes (small, medium, large),
 * some crowd; detections that are jittered copies of ground truths (some with
 * the wrong class) plus background false positives, up to `detsPerImage`.
 */
export function randomWorkload(spec: WorkloadSpec): { gt: CocoGroundTruth; dets: CocoDetection[] } {
  const rnd = seededRandom(spec.seed);
  const W = 640;
  const H = 480;
  const categories = Array.from({ length: spec.categories }, (_, i) => ({ id: i + 1, name: `c${i + 1}` }));
  const withGt = spec.categories - (spec.emptyCategories ?? 0);
  const images = Array.from({ length: spec.images }, (_, i) => ({ id: 1000 + 3 * i, width: W, height: H }));
  const annotations: CocoGroundTruth['annotations'] = [];
  const dets: CocoDetection[] = [];
  const round = (s: number) => (spec.scoreDecimals === undefined ? s : Number(s.toFixed(spec.scoreDecimals)));
  const randomBox = () => {
    // Log-uniform sizes from ~4 px to ~400 px cover all three COCO area ranges.
    const w = Math.exp(Math.log(4) + rnd() * Math.log(100));
    const h = w * (0.5 + rnd());
    const x = rnd() * (W - Math.min(w, W - 1));
    const y = rnd() * (H - Math.min(h, H - 1));
    return [x, y, w, h];
  };
  for (const img of images) {
    const nGt = Math.max(0, Math.round(spec.gtPerImage * (0.5 + rnd())));
    const gts: { bbox: number[]; cat: number }[] = [];
    for (let j = 0; j < nGt; j++) {
      const bbox = randomBox();
      const cat = 1 + Math.floor(rnd() * withGt);
      const iscrowd = rnd() < (spec.crowd ?? 0.02) ? 1 : 0;
      annotations.push({
        id: annotations.length + 1,
        image_id: img.id,
        category_id: cat,
        bbox,
        area: bbox[2] * bbox[3] * (0.6 + 0.4 * rnd()),
        iscrowd,
      });
      gts.push({ bbox, cat });
    }
    let n = 0;
    for (const g of gts) {
      const copies = 1 + Math.floor(rnd() * 3);
      for (let c = 0; c < copies && n < spec.detsPerImage; c++, n++) {
        const [x, y, w, h] = g.bbox;
        const jit = 0.25 * rnd();
        const bbox = [x + (rnd() - 0.5) * jit * w, y + (rnd() - 0.5) * jit * h, w * (1 + (rnd() - 0.5) * jit), h * (1 + (rnd() - 0.5) * jit)];
        const cat = rnd() < 0.1 ? 1 + Math.floor(rnd() * spec.categories) : g.cat;
        dets.push({ image_id: img.id, category_id: cat, bbox, score: round(0.3 + 0.7 * rnd()) });
      }
    }
    for (; n < spec.detsPerImage; n++) {
      dets.push({ image_id: img.id, category_id: 1 + Math.floor(rnd() * spec.categories), bbox: randomBox(), score: round(0.6 * rnd()) });
    }
  }
  return { gt: { images, annotations, categories }, dets };
}
