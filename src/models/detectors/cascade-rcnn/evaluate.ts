import { evaluateCoco, type CocoDetection, type CocoEvalResult } from '../../../core/index';
import { toCoco } from '../../../data/coco';
import type { Scene } from '../../../data/scene';
import type { Detection } from '../../pretrained/types';

/**
 * COCO evaluation of any detect function on scenes, keeping pycocotools' precision array (so AP can be read
 * at every IoU threshold, see `apByIou`). Detections use score threshold 0.05 and 100 per image, COCO's defaults.
 */
export async function evaluateOnScenes(
  detect: (scene: Scene) => Promise<Detection[]>,
  scenes: Scene[],
  options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<CocoEvalResult> {
  const detections: CocoDetection[] = [];
  for (let i = 0; i < scenes.length; i++) {
    if (options.signal?.aborted) throw new Error('evaluateOnScenes: stopped.');
    for (const d of await detect(scenes[i])) {
      const [x1, y1, x2, y2] = d.box;
      detections.push({ image_id: scenes[i].id, category_id: d.classId, bbox: [x1, y1, x2 - x1, y2 - y1], score: d.score });
    }
    options.onProgress?.(i + 1, scenes.length);
  }
  return evaluateCoco(toCoco(scenes), detections, { includePrecision: true });
}
