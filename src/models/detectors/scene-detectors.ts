import { DIGIT_CLASSES } from '../../data/digit-scenes';
import { createRegistry } from '../../util/registry';
import { buildBackbone } from '../backbones/index';
import { loadSiteDetectorWeights } from './detector-weights';
import { createSceneCascadeRcnn } from './cascade-rcnn/scene-cascade';
import { createFasterRcnn, type FasterRcnnConfig } from './faster-rcnn';
import { SCENE_BENCHMARK } from './scene-benchmark';
import type { TrainableDetector } from './types';

/**
 * The detectors the course trains on digit scenes and ships weights for.
 *
 * Contract: `create()` builds the shipped architecture, untrained (seeded, so two
 * calls give the same weights); `weights` is the site path of its files under
 * `weights/` (detector.json + weights.bin, see `detectorToFiles`), made by
 * `npm run train:weights`; `reference` names the paper. A detector joins with one
 * `SCENE_DETECTORS.register(name, entry)` line; `loadSceneDetector`, the bench
 * and the shipped-weights test go over every entry.
 */
export interface SceneDetectorEntry {
  create(): TrainableDetector;
  weights: string;
  reference: string;
}

export const SCENE_DETECTORS = createRegistry<SceneDetectorEntry>('loadSceneDetector', 'name');

/**
 * The shipped Faster R-CNN + FPN: the zoo's ResNet-18 at 1/8 width (8-16-32-64
 * channels, C2..C5 at strides 4..32) on 128x128 one-channel scenes, a 32-channel
 * FPN (P2..P6), anchors 8..203 px (three scales a level, 2·stride·2^(0, 1/3, 2/3))
 * at ratios 0.5 / 1 / 2, fewer proposals and RoIs than torchvision's (a scene
 * holds at most 6 digits) and a 128-wide box head. Small enough to train from
 * scratch in a browser tab.
 */
export const FASTER_RCNN_SCENE = Object.freeze({
  backbone: 'resnet18',
  backboneOptions: Object.freeze({ widthMultiplier: 0.125, seed: 1 }),
  detector: Object.freeze({
    neckChannels: 32,
    rpn: Object.freeze({ preNmsTopNTrain: 300, postNmsTopNTrain: 200, preNmsTopNTest: 300, postNmsTopNTest: 100 }),
    roi: Object.freeze({ batchSizePerImage: 128, hidden: 128 }),
    seed: 1,
  }),
});

/** A Faster R-CNN of `FASTER_RCNN_SCENE`'s architecture for the benchmark's scenes (untrained). */
export function createSceneFasterRcnn(): ReturnType<typeof createFasterRcnn> {
  const { size } = SCENE_BENCHMARK;
  const d = FASTER_RCNN_SCENE.detector;
  return createFasterRcnn({
    backbone: buildBackbone(FASTER_RCNN_SCENE.backbone, { ...FASTER_RCNN_SCENE.backboneOptions, inputShape: [size, size, 1], features: true }),
    numClasses: DIGIT_CLASSES.length,
    classNames: DIGIT_CLASSES,
    neckChannels: d.neckChannels,
    rpn: { ...d.rpn },
    roi: { ...d.roi },
    seed: d.seed,
  } satisfies FasterRcnnConfig);
}

SCENE_DETECTORS.register('faster-rcnn', {
  create: createSceneFasterRcnn,
  weights: 'lesson-08/faster-rcnn',
  reference: 'Ren et al., Faster R-CNN, NeurIPS 2015, with FPN (Lin et al., CVPR 2017), as torchvision fasterrcnn_resnet50_fpn',
});

SCENE_DETECTORS.register('cascade-rcnn', {
  create: createSceneCascadeRcnn,
  weights: 'lesson-09/cascade-rcnn',
  reference: 'Cai & Vasconcelos, Cascade R-CNN, CVPR 2018 (mmdetection cascade_rcnn_r50_fpn), on the Faster R-CNN above',
});

/** The names of the shipped scene detectors, in registration order. */
export function listSceneDetectors(): string[] {
  return SCENE_DETECTORS.names();
}

/**
 * A shipped scene detector with its trained weights, in Node (from the
 * repository's weights/) and in the browser (the site's copy). It has the
 * pretrained detectors' shape, `detect(scene, {scoreThreshold, iouThreshold,
 * maxDetections})` → `[{box: [x1, y1, x2, y2] in pixels, score, classId, label}]`
 * best first, and `dispose()`; being trainable it also has `trainStep` and
 * `variables`, so a lesson can fine-tune it.
 *
 * @example
 * const det = await models.loadSceneDetector('faster-rcnn');
 * const found = await det.detect(scene, {scoreThreshold: 0.5});
 * det.dispose();
 */
export async function loadSceneDetector(name: string): Promise<TrainableDetector> {
  const entry = SCENE_DETECTORS.get(name);
  const detector = entry.create();
  try {
    await loadSiteDetectorWeights(detector, `weights/${entry.weights}`);
  } catch (e) {
    detector.dispose();
    throw e;
  }
  return detector;
}
