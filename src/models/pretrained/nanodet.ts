import * as tf from '@tensorflow/tfjs';
import { NUM_COCO_CLASSES } from './coco-labels';
import type { Box } from './letterbox';
import type { ModelHead } from './make-detector';
import type { Candidates, NanoDetRaw } from './types';

/** Default input side: the graph's placeholder is [1, 3, 416, 416]. */
export const NANODET_INPUT_SIZE = 416;

/** Bins a side's distance is spread over (NanoDet's `reg_max` 10, plus one): 44 = 4 sides x 11. */
const BINS = 11;

// NanoDet was trained on OpenCV's BGR images normalised with these (nanodet-m.yml `normalize`);
// plain division by 255 finds noticeably fewer and weaker boxes.
const MEAN_BGR = [103.53, 116.28, 123.675];
const STD_BGR = [57.375, 57.12, 58.395];

interface Level {
  stride: number;
  side: number;
  scores: tf.Tensor2D; // [side*side, 80], already sigmoid
  dist: tf.Tensor2D; // [side*side, 44]: left, top, right, bottom, 11 bins each
}

/** RGB 0-255 `[S,S,3]` → NanoDet's `[1,3,S,S]` BGR normalised input. */
function preprocess(input: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const bgr = tf.reverse(input, 2);
    const norm = tf.div(tf.sub(bgr, MEAN_BGR), STD_BGR);
    return tf.expandDims(tf.transpose(norm, [2, 0, 1]), 0) as tf.Tensor4D;
  });
}

/** Runs the graph and sorts its six outputs into levels by size (they are not named by stride). */
function runLevels(model: tf.GraphModel, input: tf.Tensor3D, inputSize: number): Level[] {
  // tidy keeps what is returned (the tensors inside the level objects) and frees the rest
  return tf.tidy(() => {
    const outs = (model.execute(preprocess(input)) as tf.Tensor[]).map((t) => tf.squeeze(t, [0]) as tf.Tensor2D);
    const levels: Level[] = [];
    for (const scores of outs.filter((t) => t.shape[1] === NUM_COCO_CLASSES)) {
      const dist = outs.find((t) => t.shape[1] === 4 * BINS && t.shape[0] === scores.shape[0]);
      if (!dist) throw new Error(`nanodet: no box output for the ${scores.shape[0]}-cell score map`);
      const side = Math.round(Math.sqrt(scores.shape[0]));
      levels.push({ stride: inputSize / side, side, scores, dist });
    }
    levels.sort((a, b) => a.stride - b.stride);
    return levels as unknown as tf.TensorContainer;
  }) as unknown as Level[];
}

/**
 * Distances from the cell centre to the box's left, top, right and bottom
 * sides, in input pixels: each side is a softmax over 11 bins, the distance is
 * the softmax-weighted mean bin times the stride (Generalized Focal Loss's
 * "integral" decoding, NanoDet's `Integral` module).
 */
function sideDistances(dist: tf.Tensor2D, stride: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = dist.shape[0];
    const p = tf.softmax(tf.reshape(dist, [n, 4, BINS]), -1);
    const bins = tf.range(0, BINS, 1, 'float32');
    return tf.mul(tf.sum(tf.mul(p, bins), -1), stride) as tf.Tensor2D;
  });
}

/**
 * The model head for NanoDet-m (github.com/RangiLyu/nanodet, converted by
 * @vladmandic): at each cell of strides 8, 16 and 32, 80 sigmoid class scores
 * and a box given as four side distances from the cell centre
 * ((col + 0.5) * stride, (row + 0.5) * stride), as NanoDet's GFL head decodes.
 *
 * @example
 * const detector = makeDetector(nanoDetHead(await loadGraph('nanodet'), 416));
 */
export function nanoDetHead(model: tf.GraphModel, inputSize = NANODET_INPUT_SIZE): ModelHead<NanoDetRaw> {
  return {
    name: 'nanodet',
    inputSize,
    // pad with the training mean so padding normalises to 0 (mean is BGR; pad is RGB: the average is close enough)
    padValue: 114,

    async candidates(input: tf.Tensor3D, scoreThreshold: number): Promise<Candidates> {
      const levels = runLevels(model, input, inputSize);
      const out: Candidates = { boxes: [], scores: [], classIds: [] };
      try {
        for (const { stride, side, scores, dist } of levels) {
          const s = await scores.data();
          const sidesT = sideDistances(dist, stride);
          const d = await sidesT.data();
          sidesT.dispose();
          for (let cell = 0; cell < side * side; cell++) {
            const cx = ((cell % side) + 0.5) * stride;
            const cy = (Math.floor(cell / side) + 0.5) * stride;
            for (let c = 0; c < NUM_COCO_CLASSES; c++) {
              const score = s[cell * NUM_COCO_CLASSES + c];
              if (!(score >= scoreThreshold)) continue;
              const k = cell * 4;
              out.boxes.push([cx - d[k], cy - d[k + 1], cx + d[k + 2], cy + d[k + 3]] as Box);
              out.scores.push(score);
              out.classIds.push(c);
            }
          }
        }
      } finally {
        for (const l of levels) tf.dispose([l.scores, l.dist]);
      }
      return out;
    },

    raw(input: tf.Tensor3D): Omit<NanoDetRaw, 'transform'> {
      const levels = runLevels(model, input, inputSize);
      const out = levels.map(({ stride, side, scores }) => ({
        stride,
        scores: tf.reshape(scores, [side, side, NUM_COCO_CLASSES]) as tf.Tensor3D,
      }));
      for (const l of levels) tf.dispose([l.scores, l.dist]);
      return { levels: out };
    },

    dispose: () => model.dispose(),
  };
}
