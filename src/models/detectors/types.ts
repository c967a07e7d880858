import type * as tf from '@tensorflow/tfjs';
import type { DetectOptions, Detection } from '../pretrained/types';
import type { SceneImage } from './scene-input';

/** A detection batch as `data.sceneBatches` makes it. */
export interface DetectionBatch {
  images: tf.Tensor4D;
  boxes: number[][][];
  labels: number[][];
}

/**
 * What `loadSceneDetector(name)` returns: the pretrained detectors' `Detector`
 * shape (`detect`, `dispose`, `name`, `inputSize`) for a digit scene, a
 * `[H, W, 1]` tensor in 0..1 or a `Scene`. Boxes `[x1, y1, x2, y2]` in the
 * image's pixels, best score first.
 */
export interface SceneDetector {
  readonly name: string;
  /** Side of the square scene the detector takes (the benchmark's 128). */
  readonly inputSize: number;
  detect(image: SceneImage, options?: DetectOptions): Promise<Detection[]>;
  dispose(): void;
}

/**
 * A detector the course trains (Faster R-CNN, Cascade R-CNN, ...): a
 * `SceneDetector` plus what the course loop needs (`train({step: (b) =>
 * det.trainStep(b), variables: det.variables, ...})`) and its weights as named
 * tf.LayersModels, which `detectorToFiles` / `loadDetectorWeights` save and
 * restore (the same names, in the same order, on save and load).
 */
export interface TrainableDetector extends SceneDetector {
  readonly variables: tf.Variable[];
  /** The loss to minimise and its named terms (the per-loss curves); called inside the optimiser's minimize. */
  trainStep(batch: DetectionBatch): { loss: tf.Scalar; terms: Record<string, tf.Scalar> };
  /** Every model holding the detector's weights, by name (e.g. `{body, boxHead}`); non-trainable ones (batch-norm statistics) are saved too. */
  readonly models: Readonly<Record<string, tf.LayersModel>>;
}
