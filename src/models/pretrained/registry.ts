import type * as tf from '@tensorflow/tfjs';
import { createRegistry } from '../../util/registry';
import { CENTERNET_INPUT_SIZE, centerNetHead } from './centernet';
import type { PretrainedModelName } from './load-graph';
import type { ModelHead } from './make-detector';
import { NANODET_INPUT_SIZE, nanoDetHead } from './nanodet';

/** What `loadDetector` needs to know of one converted graph. */
export interface PretrainedEntry {
  /** Axis of the graph input's spatial side: 1 for NHWC graphs, 2 for NCHW ones. */
  inputAxis: 1 | 2;
  /** Input side used when the graph's placeholder does not fix one. */
  defaultInputSize: number;
  /** Wraps the loaded graph into the model-specific part of the photo → boxes pipeline. */
  head(model: tf.GraphModel, inputSize: number): ModelHead<never>;
}

/**
 * The pretrained COCO detectors, by name. A new converted detector is one
 * `register` line here (plus its head file and its asset entry).
 */
export const PRETRAINED_DETECTORS = createRegistry<PretrainedEntry>('loadDetector', 'name');
// CenterNet's TF graph is NHWC; NanoDet's ONNX-converted graph is NCHW.
PRETRAINED_DETECTORS.register('centernet', { inputAxis: 1, defaultInputSize: CENTERNET_INPUT_SIZE, head: centerNetHead as PretrainedEntry['head'] });
PRETRAINED_DETECTORS.register('nanodet', { inputAxis: 2, defaultInputSize: NANODET_INPUT_SIZE, head: nanoDetHead as PretrainedEntry['head'] });

export const DETECTOR_NAMES = PRETRAINED_DETECTORS.names() as readonly PretrainedModelName[];
