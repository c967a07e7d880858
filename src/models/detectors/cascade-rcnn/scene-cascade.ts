import { DIGIT_CLASSES } from '../../../data/digit-scenes';
import { buildBackbone } from '../../backbones/index';
import { createCascadeRcnn, type CascadeRcnn } from './cascade-rcnn';

/**
 * The shipped Cascade R-CNN's architecture (SCENE_DETECTORS' 'cascade-rcnn'): the shipped Faster R-CNN's (FASTER_RCNN_SCENE, a test checks they agree: the zoo's
 * ResNet-18 at 1/8 width, a 32-channel FPN, RPN top-k 300/200 training and 300/100 detecting, 128 RoIs per
 * image, 128-wide box heads) with the cascade's three heads at IoU 0.5 / 0.6 / 0.7, on 128×128 scenes.
 */
export const CASCADE_SCENE = Object.freeze({
  size: 128,
  backbone: 'resnet18',
  backboneOptions: Object.freeze({ widthMultiplier: 0.125, seed: 1 }),
  neckChannels: 32,
  rpn: Object.freeze({ preNmsTopNTrain: 300, postNmsTopNTrain: 200, preNmsTopNTest: 300, postNmsTopNTest: 100 }),
  roi: Object.freeze({ batchSizePerImage: 128, hidden: 128 }),
  seed: 1,
});

/** A Cascade R-CNN of the shipped architecture, untrained (seeded: two calls give the same weights). */
export function createSceneCascadeRcnn(): CascadeRcnn {
  const a = CASCADE_SCENE;
  return createCascadeRcnn({
    backbone: buildBackbone(a.backbone, { ...a.backboneOptions, inputShape: [a.size, a.size, 1], features: true }),
    numClasses: DIGIT_CLASSES.length,
    classNames: DIGIT_CLASSES,
    neckChannels: a.neckChannels,
    rpn: { ...a.rpn },
    roi: { ...a.roi },
    seed: a.seed,
  });
}
