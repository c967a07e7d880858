import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { runLayers } from './layer-graph';
import type { GradientRequest } from './saliency';
import { checkInput, resolveTarget } from './target';

/**
 * Occlusion sensitivity (Zeiler & Fergus 2014, sec. 4.2; Captum's Occlusion):
 * slide a `patch` × `patch` square of `fill` over the image with `stride`; the
 * map at each position is the score of the image minus the score of the
 * occluded one, so positive = the region supports the class, negative = it
 * argues against it (the one signed map here). `[rows, cols]` positions,
 * rows = floor((H - patch) / stride) + 1. Occluded images run in batches.
 */
export interface OcclusionRequest extends GradientRequest {
  patch?: number;
  stride?: number;
  fill?: number;
  batchSize?: number;
}

export async function occlusion(request: OcclusionRequest): Promise<tf.Tensor2D> {
  const op = 'occlusion';
  const { model, patch = 8, stride = patch, fill = 0, batchSize = 32 } = request;
  const input = checkInput(op, model, request.input);
  const [, H, W] = input.shape;
  if (!Number.isInteger(patch) || patch < 1 || patch > Math.min(H, W)) fail(op, 'patch', `an integer from 1 to ${Math.min(H, W)}`, String(patch));
  if (!Number.isInteger(stride) || stride < 1) fail(op, 'stride', 'a positive integer', String(stride));
  const { score } = resolveTarget(op, model, input, request.target);
  const rows = Math.floor((H - patch) / stride) + 1;
  const cols = Math.floor((W - patch) / stride) + 1;
  const base = tf.tidy(() => score(runLayers(model, input).output).dataSync()[0]);
  const values = new Float32Array(rows * cols);
  for (let s = 0; s < rows * cols; s += batchSize) {
    const n = Math.min(batchSize, rows * cols - s);
    const scores = tf.tidy(() => {
      // A 0/1 keep-mask per position: 0 inside the patch.
      const masks = new Float32Array(n * H * W);
      for (let k = 0; k < n; k++) {
        const i = Math.floor((s + k) / cols) * stride;
        const j = ((s + k) % cols) * stride;
        masks.fill(1, k * H * W, (k + 1) * H * W);
        for (let y = i; y < i + patch; y++) masks.fill(0, k * H * W + y * W + j, k * H * W + y * W + j + patch);
      }
      const keep = tf.tensor4d(masks, [n, H, W, 1]);
      const x = tf.add(tf.mul(tf.tile(input, [n, 1, 1, 1]), keep), tf.mul(tf.sub(1, keep), fill));
      const out = runLayers(model, x).output;
      return tf.stack(Array.from({ length: n }, (_, k) => score(tf.slice(out, [k, 0], [1, -1]))));
    });
    const d = await scores.data();
    scores.dispose();
    for (let k = 0; k < n; k++) values[s + k] = base - d[k];
  }
  return tf.tensor2d(values, [rows, cols]);
}
