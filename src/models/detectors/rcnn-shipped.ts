import { DIGIT_CLASSES } from '../../data/digit-scenes';
import { createRegistry } from '../../util/registry';
import { loadSiteDetectorWeights } from './detector-weights';
import { createFastRcnn, type FastRcnn } from './fast-rcnn';
import { createRcnn, type Rcnn } from './rcnn';

/**
 * Lesson 8's R-CNN and Fast R-CNN as shipped: the architecture (`create()`,
 * untrained, seeded) and the site path of the weights `npm run train:weights`
 * writes (scripts/weights/lesson-08-rcnn.ts; detector.json + weights.bin, the
 * scene detectors' format). They are not in `SCENE_DETECTORS`: R-CNN classifies
 * about 100 regions an image one at a time (about a second an image in Node),
 * too slow for the bench and tests that go over every scene detector.
 */
export interface RegionDetectorEntry {
  create(): Rcnn | FastRcnn;
  weights: string;
  reference: string;
}

export const REGION_DETECTORS = createRegistry<RegionDetectorEntry>('loadRegionDetector', 'name');

REGION_DETECTORS.register('rcnn', {
  create: () => createRcnn({ numClasses: DIGIT_CLASSES.length, classNames: DIGIT_CLASSES, seed: 1 }),
  weights: 'lesson-08/rcnn',
  reference: 'Girshick et al., Rich feature hierarchies (R-CNN), CVPR 2014',
});

REGION_DETECTORS.register('fast-rcnn', {
  create: () => createFastRcnn({ numClasses: DIGIT_CLASSES.length, classNames: DIGIT_CLASSES, seed: 1 }),
  weights: 'lesson-08/fast-rcnn',
  reference: 'Girshick, Fast R-CNN, ICCV 2015',
});

/** The names of the shipped region detectors ('rcnn', 'fast-rcnn'). */
export function listRegionDetectors(): string[] {
  return REGION_DETECTORS.names();
}

/**
 * The shipped R-CNN or Fast R-CNN with its trained weights, in Node (the repository's weights/) and in the browser (the site's copy).
 *
 * @example
 * const rcnn = await models.loadRegionDetector('rcnn');
 * const {detections, timing} = await rcnn.analyse(scene); // timing.msPerRegion
 */
export async function loadRegionDetector(name: 'rcnn'): Promise<Rcnn>;
export async function loadRegionDetector(name: 'fast-rcnn'): Promise<FastRcnn>;
export async function loadRegionDetector(name: string): Promise<Rcnn | FastRcnn>;
export async function loadRegionDetector(name: string): Promise<Rcnn | FastRcnn> {
  const entry = REGION_DETECTORS.get(name);
  const det = entry.create();
  try {
    await loadSiteDetectorWeights(det, `weights/${entry.weights}`);
  } catch (e) {
    det.dispose();
    throw e;
  }
  return det;
}
