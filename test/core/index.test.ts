import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index';

// Not a numeric reference: the public API list (plus the documented extras) is the contract
// cells see as `core`; a helper leaking through would become API nobody documented.
describe('src/core/index exports exactly the public API', () => {
  it('names every documented export and nothing else', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'BBOX_XFORM_CLIP', 'BELOW_LOW_THRESHOLD', 'BETWEEN_THRESHOLDS', 'COCO_AREA_RANGES', 'COCO_IOU_THRESHOLDS', 'COCO_MAX_DETS',
        'COCO_RECALL_THRESHOLDS', 'apFromPrecisionRecall', 'batchedNms', 'boxArea', 'boxConvert', 'boxIou', 'cellAnchors', 'deformConv2d',
        'completeBoxIou', 'crossEntropy', 'decodeBoxes', 'distanceBoxIou', 'encodeBoxes', 'evaluateCoco', 'evaluateVoc',
        'generalizedBoxIou', 'generateAnchors', 'giouLoss', 'gridAnchors', 'labelsFromMatches', 'linearSumAssignment',
        'matchByIou', 'nms', 'nmsSteps', 'roiAlign', 'roiPool', 'sampleBalanced', 'seededRandom', 'setValueChecks',
        'sigmoidFocalLoss', 'smoothL1Loss', 'softNms',
      ].sort(),
    );
  });
});
