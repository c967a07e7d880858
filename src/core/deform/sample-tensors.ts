import * as tf from '@tensorflow/tfjs';
import type { DeformGeometry } from './deform-args';

/**
 * Deformable im2col as tfjs ops, for GPU backends (WebGL, WebGPU): the same
 * columns `[B·outH·outW, kh·kw, C]` as `sampleLoops`, with the same backward
 * pass (torchvision's col2im and col2im_coord) written as tensor ops, so
 * nothing is downloaded. It is a tf.customGrad because tfjs's gather cannot
 * differentiate through indices computed from the offsets (its index
 * gradient is an int32 tensor, which the tape rejects).
 */
export function sampleTensors(g: DeformGeometry, input: tf.Tensor4D, offset: tf.Tensor4D, mask: tf.Tensor4D | undefined): tf.Tensor3D {
  const { B, H, W, C, kh, kw, outH, outW, sy, sx, py, px, dy, dx, offsetGroups: G } = g;
  const K = kh * kw;
  const Cq = C / G;
  const P = B * outH * outW;
  const N = P * K * G;

  const baseY = new Float32Array(outH * K);
  const baseX = new Float32Array(outW * K);
  for (let m = 0; m < K; m++) {
    for (let oy = 0; oy < outH; oy++) baseY[oy * K + m] = oy * sy - py + Math.floor(m / kw) * dy;
    for (let ox = 0; ox < outW; ox++) baseX[ox * K + m] = ox * sx - px + (m % kw) * dx;
  }

  /**
   * Taps in the order [B, outH, outW, K, G], flattened to N, so the gathered
   * rows (Cq channels each) reshape straight to [P, K, G·Cq] = [P, K, C]. For
   * each corner: its row in the input seen as [B·H·W·G, Cq] (clamped inside,
   * with weight 0 when the corner is outside) and its bilinear weight [N, 1].
   */
  function plan(o: tf.Tensor) {
    const off = tf.transpose(tf.reshape(o, [B, outH, outW, G, K, 2]), [0, 1, 2, 4, 3, 5]);
    const [offY, offX] = tf.unstack(off, 5);
    const y = tf.reshape(tf.add(offY, tf.tensor(baseY, [1, outH, 1, K, 1])), [N, 1]);
    const x = tf.reshape(tf.add(offX, tf.tensor(baseX, [1, 1, outW, K, 1])), [N, 1]);
    const y0 = tf.floor(y);
    const x0 = tf.floor(x);
    const ly = tf.sub(y, y0);
    const lx = tf.sub(x, x0);
    const bRow = tf.reshape(tf.broadcastTo(tf.tensor(Float32Array.from({ length: B }, (_, b) => b * H * W * G), [B, 1, 1, 1, 1]), [B, outH, outW, K, G]), [N, 1]);
    const gRow = tf.reshape(tf.broadcastTo(tf.tensor(Float32Array.from({ length: G }, (_, q) => q), [1, 1, 1, 1, G]), [B, outH, outW, K, G]), [N, 1]);
    const start = tf.add(bRow, gRow);
    const corners = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([cy, cx]) => {
      const yc = tf.add(y0, cy);
      const xc = tf.add(x0, cx);
      const inside = tf.cast(tf.logicalAnd(tf.logicalAnd(tf.greaterEqual(yc, 0), tf.less(yc, H)), tf.logicalAnd(tf.greaterEqual(xc, 0), tf.less(xc, W))), 'float32');
      const row = tf.add(start, tf.mul(tf.add(tf.mul(tf.clipByValue(yc, 0, H - 1), W), tf.clipByValue(xc, 0, W - 1)), G));
      const weight = tf.mul(tf.mul(cy ? ly : tf.sub(1, ly), cx ? lx : tf.sub(1, lx)), inside);
      return { index: tf.reshape(tf.cast(row, 'int32'), [N]), inside, weight };
    });
    return { ly, lx, corners };
  }

  const tapsOf = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [B, outH, outW, G, K]), [0, 1, 2, 4, 3]), [N, 1]);
  const untap = (t: tf.Tensor, last: number) => tf.transpose(tf.reshape(t, [B, outH, outW, K, G, last]), [0, 1, 2, 4, 3, 5]);

  const run = (x: tf.Tensor4D, o: tf.Tensor4D, mk: tf.Tensor4D | undefined, save: tf.GradSaveFunc) => {
    save(mk ? [x, o, mk] : [x, o]);
    const flat = tf.reshape(x, [B * H * W * G, Cq]);
    const { corners } = plan(o);
    let val: tf.Tensor = tf.zeros([N, Cq]);
    for (const c of corners) val = tf.add(val, tf.mul(tf.gather(flat, c.index), c.weight));
    if (mk) val = tf.mul(val, tapsOf(mk));
    const gradFunc = (dcolT: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, os, ms] = saved;
      const dcol = tf.reshape(dcolT, [N, Cq]);
      const flatX = tf.reshape(xs, [B * H * W * G, Cq]);
      const p = plan(os);
      const s = ms ? tapsOf(ms) : tf.ones([N, 1]);
      const v = p.corners.map((c) => tf.mul(tf.gather(flatX, c.index), c.inside));
      // Input: each column gradient scattered into its 4 corners (col2im).
      const scatter = tf.concat(p.corners.map((c) => tf.mul(dcol, tf.mul(c.weight, s))), 0);
      const rows = tf.concat(p.corners.map((c) => c.index), 0) as tf.Tensor1D;
      const dx = tf.reshape(tf.unsortedSegmentSum(scatter, rows, B * H * W * G), xs.shape);
      // Offsets: the column gradient times ∂bilinear/∂y and ∂/∂x, summed over the group's channels (col2im_coord).
      const oneMinus = (t: tf.Tensor) => tf.sub(1, t);
      const dValdy = tf.add(tf.mul(oneMinus(p.lx), tf.sub(v[2], v[0])), tf.mul(p.lx, tf.sub(v[3], v[1])));
      const dValdx = tf.add(tf.mul(oneMinus(p.ly), tf.sub(v[1], v[0])), tf.mul(p.ly, tf.sub(v[3], v[2])));
      const gy = tf.mul(tf.sum(tf.mul(dcol, dValdy), 1, true), s);
      const gx = tf.mul(tf.sum(tf.mul(dcol, dValdx), 1, true), s);
      const doff = tf.reshape(untap(tf.concat([gy, gx], 1), 2), os.shape);
      if (!ms) return [dx, doff];
      // Mask: the column gradient times the unmodulated sample.
      let sample: tf.Tensor = tf.zeros([N, Cq]);
      p.corners.forEach((c, k) => (sample = tf.add(sample, tf.mul(v[k], c.weight))));
      const dmask = tf.reshape(untap(tf.sum(tf.mul(dcol, sample), 1, true), 1), ms.shape);
      return [dx, doff, dmask];
    };
    return { value: tf.reshape(val, [P, K, C]) as tf.Tensor3D, gradFunc };
  };

  if (mask) {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => run(args[0] as tf.Tensor4D, args[1] as tf.Tensor4D, args[2] as tf.Tensor4D, args[3] as tf.GradSaveFunc));
    return op(input, offset, mask) as tf.Tensor3D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => run(args[0] as tf.Tensor4D, args[1] as tf.Tensor4D, undefined, args[2] as tf.GradSaveFunc));
  return op(input, offset) as tf.Tensor3D;
}
