import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { evaluateCoco } from '../../../src/core/index';
import { digitScenes, DIGIT_CLASSES, sceneBatchesFrom, toCoco } from '../../../src/data/index';
import { createFasterRcnn } from '../../../src/models/detectors/index';
import { train } from '../../../src/train/index';
import { buildBackbone } from '../../../src/models/backbones/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// Faster R-CNN + FPN (torchvision's FasterRCNN semantics) overfits a handful of scenes: the whole pipeline
// (anchors, RPN targets and loss, proposals, RoI sampling, RoIAlign per level, box head loss, post-processing)
// has to be right for AP50 to pass 0.9 on the scenes it trained on.
trainOnFastestBackend();

describe('Faster R-CNN trained with the course loop', () => {
  it('overfits 4 digit scenes: COCO AP50 > 0.9 on them, tensors back to baseline', async () => {
    const before = tf.memory().numTensors;
    const size = 64;
    const scenes = await digitScenes({ seed: 3, count: 4, size, minObjectSize: 16, maxObjectSize: 32, minObjects: 1, maxObjects: 3 });
    const det = createFasterRcnn({
      // The zoo's ResNet-18 at 1/8 width (8-16-32-64 channels), its C2..C5 at strides 4..32.
      backbone: buildBackbone('resnet18', { inputShape: [size, size, 1], widthMultiplier: 0.125, features: true, seed: 1 }),
      numClasses: 10,
      classNames: DIGIT_CLASSES,
      neckChannels: 32,
      rpn: { preNmsTopNTrain: 300, postNmsTopNTrain: 200, preNmsTopNTest: 300, postNmsTopNTest: 100 },
      roi: { batchSizePerImage: 128, hidden: 128 },
      seed: 1,
    });
    const steps = 200;
    let last: Record<string, number> = {};
    for await (const e of train({
      step: (b) => det.trainStep(b),
      variables: det.variables,
      data: () => sceneBatchesFrom(scenes, { batchSize: 2, epochs: 1000, seed: 1 }),
      optimizer: 'adam',
      schedule: 0.002,
      steps,
    })) {
      last = e.lossTerms;
    }
    expect(Object.keys(last).sort()).toEqual(['box', 'classifier', 'rpnBox', 'rpnObjectness']);
    const detections = [];
    for (const s of scenes) {
      for (const d of await det.detect(s, { scoreThreshold: 0.05, maxDetections: 100 })) {
        const [x1, y1, x2, y2] = d.box;
        detections.push({ image_id: s.id, category_id: d.classId, bbox: [x1, y1, x2 - x1, y2 - y1], score: d.score });
      }
    }
    const { stats } = evaluateCoco(toCoco(scenes), detections);
    expect(stats.AP50).toBeGreaterThan(0.9);
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
