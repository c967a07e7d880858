import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildBackbone } from '../../../src/models/backbones/index';
import { createFasterRcnn } from '../../../src/models/detectors/index';
import { NECKS } from '../../../src/models/necks/index';
import { trainOnFastestBackend } from '../../helpers/training-backend';

// One detector (torchvision-style Faster R-CNN), its neck chosen by name: every registered neck builds and runs one
// forward + backward on wasm with the course's training kernels (the backend `npm run train:weights` uses).
trainOnFastestBackend();

describe('Faster R-CNN with each neck by name (wasm)', () => {
  for (const neck of NECKS.names()) {
    it(`${neck}: loss finite, gradient reaches every trainable weight, tensors back to baseline`, () => {
      const det = createFasterRcnn({
        // The zoo's ResNet-18 at 1/16 width (4-8-16-32 channels), C2..C5 at strides 4..32 of a 64-px input.
        backbone: buildBackbone('resnet18', { inputShape: [64, 64, 1], widthMultiplier: 1 / 16, features: true, seed: 2 }),
        numClasses: 3,
        neck,
        neckChannels: 8,
        neckRepeats: 1,
        rpn: { preNmsTopNTest: 100, postNmsTopNTest: 50, preNmsTopNTrain: 100, postNmsTopNTrain: 50 },
        roi: { batchSizePerImage: 32, hidden: 16 },
      });
      // Five levels (strides 4..64), RoIs pooled from the first four.
      expect(det.strides).toEqual([4, 8, 16, 32, 64]);
      expect(det.roiLevels).toBe(4);
      const before = tf.memory().numTensors;
      const images = tf.tidy(() => tf.randomUniform([2, 64, 64, 1], 0, 1, 'float32', 3)) as tf.Tensor4D;
      const batch = { images, boxes: [[[10, 10, 30, 34]], [[5, 40, 25, 60], [40, 4, 60, 20]]], labels: [[0], [1, 2]] };
      const { value, grads } = tf.variableGrads(() => det.trainStep(batch).loss, det.variables);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      const neckVars = det.variables.filter((v) => v.name.startsWith('neck_'));
      expect(neckVars.length).toBeGreaterThan(0);
      for (const v of det.variables) expect(grads[v.name], v.name).toBeDefined();
      for (const v of neckVars) expect(tf.tidy(() => tf.sum(tf.abs(grads[v.name])).dataSync()[0]), v.name).toBeGreaterThan(0);
      tf.dispose([value, images, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      det.dispose();
    });
  }
});
