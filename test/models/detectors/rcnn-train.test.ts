import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { evaluateCoco } from '../../../src/core/index';
import { boxIoU, digitScenes, DIGIT_CLASSES, sceneBatchesFrom, toCoco, type Scene } from '../../../src/data/index';
import { createFastRcnn, createRcnn } from '../../../src/models/detectors/index';
import { train } from '../../../src/train/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// R-CNN (Girshick et al. 2014) and Fast R-CNN (Girshick 2015) trained with the course loop overfit a handful of
// scenes: selective search, RoI sampling (IoU >= 0.5 foreground), the warp / RoI pooling, the multi-task loss and
// the post-processing all have to be right for AP50 to pass 0.9 on the scenes they trained on.
trainOnFastestBackend();

async function ap50(det: { detect(s: Scene, o: object): Promise<{ box: number[]; score: number; classId: number }[]> }, scenes: Scene[]): Promise<number> {
  const detections = [];
  for (const s of scenes) {
    for (const d of await det.detect(s, { scoreThreshold: 0.05 })) {
      const [x1, y1, x2, y2] = d.box;
      detections.push({ image_id: s.id, category_id: d.classId, bbox: [x1, y1, x2 - x1, y2 - y1], score: d.score });
    }
  }
  return evaluateCoco(toCoco(scenes), detections).stats.AP50;
}

describe('R-CNN and Fast R-CNN trained with the course loop', async () => {
  // Seed 1: 7 digits on 4 scenes, each with a selective-search box at IoU >= 0.5 (checked below), so AP50 can reach 1.
  const scenes = await digitScenes({ seed: 1, count: 4, size: 64, minObjectSize: 14, maxObjectSize: 30, minObjects: 1, maxObjects: 3 });

  it('selective search reaches every digit of the 4 scenes at IoU >= 0.5', () => {
    const det = createRcnn({ numClasses: 10 });
    for (const s of scenes) {
      const boxes = det.propose(s);
      for (const o of s.objects) expect(Math.max(...boxes.map((b) => boxIoU(b, o.box)))).toBeGreaterThanOrEqual(0.5);
    }
    det.dispose();
  });

  it('R-CNN overfits 4 digit scenes: AP50 > 0.9 on them, tensors back to baseline', async () => {
    const before = tf.memory().numTensors;
    const det = createRcnn({ numClasses: 10, classNames: DIGIT_CLASSES, seed: 1 });
    let last: Record<string, number> = {};
    for await (const e of train({ step: (b) => det.trainStep(b), variables: det.variables, data: () => sceneBatchesFrom(scenes, { batchSize: 2, epochs: 1000, seed: 1 }), optimizer: 'adam', schedule: 0.003, steps: 100 })) last = e.lossTerms;
    expect(Object.keys(last).sort()).toEqual(['box', 'classifier']);
    expect(await ap50(det, scenes)).toBeGreaterThan(0.9);
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const pooler of ['roiPool', 'roiAlign'] as const) {
    it(`Fast R-CNN (${pooler}) overfits 4 digit scenes: AP50 > 0.9 on them, tensors back to baseline`, async () => {
      const before = tf.memory().numTensors;
      const det = createFastRcnn({ numClasses: 10, classNames: DIGIT_CLASSES, inputShape: [64, 64, 1], pooler, seed: 1 });
      let last: Record<string, number> = {};
      for await (const e of train({ step: (b) => det.trainStep(b), variables: det.variables, data: () => sceneBatchesFrom(scenes, { batchSize: 2, epochs: 1000, seed: 1 }), optimizer: 'adam', schedule: 0.003, steps: 100 })) last = e.lossTerms;
      expect(await ap50(det, scenes)).toBeGreaterThan(0.9);
      det.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
