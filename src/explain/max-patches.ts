import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/validate';
import { findLayer, runLayers } from './layer-graph';
import { toSpatial } from './reshape';

/**
 * Maximally activating patches (Zeiler & Fergus 2014, fig. 2; Girshick et
 * al. 2014, fig. 4): over a set of images, the `k` locations where one
 * channel of a layer fires most, each cut out of its image as the unit's
 * receptive field. The receptive field is measured, not derived from kernel
 * sizes: the input pixels with a non-zero gradient of the activation at the
 * centre location (so pooling, strides and residual branches are all counted).
 */
export interface MaxPatch {
  image: number;
  /** Location in the layer's map. */
  row: number;
  col: number;
  activation: number;
  /** The patch's box in the image, [y1, x1, y2, x2) pixels, clipped to the image. */
  box: [number, number, number, number];
}

/**
 * Measured receptive field of `layer`: its size [rows, cols] in pixels and its stride. The support
 * of the centre unit's gradient with every ReLU passed through (so no unit is dead) over a batch
 * of random images (so each max-pool routes to every corner of its window in some image).
 */
export function receptiveField(model: tf.LayersModel, layer: string): { size: [number, number]; stride: [number, number] } {
  findLayer('receptiveField', model, layer);
  const shape = model.inputs[0].shape.slice(1) as number[];
  return tf.tidy(() => {
    const x = tf.randomUniform([16, shape[0], shape[1], shape[2]], 0, 1, 'float32', 5);
    const run = (v: tf.Tensor) => toSpatial(runLayers(model, v, { capture: [layer], relu: 'identity' }).captured[layer]);
    const [, h, w] = run(tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1])).shape;
    const ci = Math.floor(h / 2);
    const cj = Math.floor(w / 2);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.slice(run(v), [0, ci, cj, 0], [-1, 1, 1, -1])))(x);
    const m = tf.max(tf.abs(g), [0, 3]).arraySync() as number[][];
    const rows = m.flatMap((r, y) => (r.some((v) => v > 0) ? [y] : []));
    const cols = m[0].flatMap((_, c) => (m.some((r) => r[c] > 0) ? [c] : []));
    const size: [number, number] = [rows.length ? rows[rows.length - 1] - rows[0] + 1 : 0, cols.length ? cols[cols.length - 1] - cols[0] + 1 : 0];
    const stride: [number, number] = [Math.max(1, Math.round(shape[0] / h)), Math.max(1, Math.round(shape[1] / w))];
    return { size, stride };
  });
}

/** The `k` strongest activations of `channel` over `images` ([N, H, W, C]), one per image at most. */
export async function maxActivatingPatches(model: tf.LayersModel, images: tf.Tensor4D, layer: string, channel: number, k = 8): Promise<MaxPatch[]> {
  findLayer('maxActivatingPatches', model, layer);
  const maps = tf.tidy(() => toSpatial(runLayers(model, images, { capture: [layer] }).captured[layer]));
  const [n, h, w, c] = maps.shape;
  if (!Number.isInteger(channel) || channel < 0 || channel >= c) {
    maps.dispose();
    fail('maxActivatingPatches', 'channel', `an integer from 0 to ${c - 1} (${layer} has ${c} channels)`, String(channel));
  }
  const column = tf.tidy(() => tf.reshape(tf.slice(maps, [0, 0, 0, channel], [n, h, w, 1]), [n, h * w]));
  const values = (await column.array()) as number[][];
  column.dispose();
  maps.dispose();
  const { size, stride } = receptiveField(model, layer);
  const [H, W] = images.shape.slice(1, 3);
  const best = values.map((row, image) => {
    let at = 0;
    for (let i = 1; i < row.length; i++) if (row[i] > row[at]) at = i;
    return { image, at, activation: row[at] };
  });
  best.sort((a, b) => b.activation - a.activation);
  return best.slice(0, k).map(({ image, at, activation }) => {
    const row = Math.floor(at / w);
    const col = at % w;
    const cy = (row + 0.5) * stride[0];
    const cx = (col + 0.5) * stride[1];
    const clip = (v: number, hi: number) => Math.max(0, Math.min(hi, Math.round(v)));
    return { image, row, col, activation, box: [clip(cy - size[0] / 2, H), clip(cx - size[1] / 2, W), clip(cy + size[0] / 2, H), clip(cx + size[1] / 2, W)] };
  });
}
