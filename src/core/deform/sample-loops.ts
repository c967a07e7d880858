import * as tf from '@tensorflow/tfjs';
import type { DeformGeometry } from './deform-args';

/**
 * The 4 bilinear corners of every (pixel, tap, offset group), in the order
 * [B, outH, outW, K, G]: flat element offsets of the group's channel 0 in the
 * zero-extended NHWC input (a corner outside the image points at the zero
 * row appended after the image, so every sample is 4 loads and no branch),
 * the corner weights, and the fractions ly, lx for the offset gradient.
 */
interface Corners {
  at: Int32Array;
  w: Float32Array;
  ly: Float32Array;
  lx: Float32Array;
}

function corners(g: DeformGeometry, off: Float32Array): Corners {
  const { B, H, W, C, kh, kw, outH, outW, sy, sx, py, px, dy, dx, offsetGroups: G } = g;
  const K = kh * kw;
  const Cq = C / G;
  const zero = B * H * W * C;
  const n = B * outH * outW * K * G;
  const at = new Int32Array(4 * n);
  const w = new Float32Array(4 * n);
  const lyA = new Float32Array(n);
  const lxA = new Float32Array(n);
  let t = 0;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const p = (b * outH + oy) * outW + ox;
        for (let m = 0; m < K; m++) {
          const i = (m / kw) | 0;
          const j = m - i * kw;
          for (let q = 0; q < G; q++, t++) {
            // torchvision's offset channel order: tap q·K + m holds (Δy, Δx) at channels 2(q·K + m), +1.
            const o = 2 * (p * G * K + q * K + m);
            const y = oy * sy - py + i * dy + off[o];
            const x = ox * sx - px + j * dx + off[o + 1];
            const y0 = Math.floor(y);
            const x0 = Math.floor(x);
            const ly = y - y0;
            const lx = x - x0;
            lyA[t] = ly;
            lxA[t] = lx;
            const r0 = y0 >= 0 && y0 < H;
            const r1 = y0 + 1 >= 0 && y0 + 1 < H;
            const c0 = x0 >= 0 && x0 < W;
            const c1 = x0 + 1 >= 0 && x0 + 1 < W;
            const base = ((b * H + y0) * W + x0) * C + q * Cq;
            at[4 * t] = r0 && c0 ? base : zero;
            at[4 * t + 1] = r0 && c1 ? base + C : zero;
            at[4 * t + 2] = r1 && c0 ? base + W * C : zero;
            at[4 * t + 3] = r1 && c1 ? base + (W + 1) * C : zero;
            w[4 * t] = (1 - ly) * (1 - lx);
            w[4 * t + 1] = (1 - ly) * lx;
            w[4 * t + 2] = ly * (1 - lx);
            w[4 * t + 3] = ly * lx;
          }
        }
      }
    }
  }
  return { at, w, ly: lyA, lx: lxA };
}

/** Mask value of tap t (order [B, outH, outW, K, G]) read from torchvision's [B, outH, outW, G·K]. */
function maskInTapOrder(g: DeformGeometry, mask: Float32Array | null): Float32Array | null {
  if (!mask) return null;
  const K = g.kh * g.kw;
  const G = g.offsetGroups;
  const out = new Float32Array(mask.length);
  for (let p = 0, t = 0; p < mask.length / (K * G); p++) {
    for (let m = 0; m < K; m++) for (let q = 0; q < G; q++, t++) out[t] = mask[p * G * K + q * K + m];
  }
  return out;
}

/**
 * Deformable im2col as JS loops, for backends whose tensors live in CPU memory
 * (cpu, wasm): columns `[B·outH·outW, kh·kw, C]`, where column (p, m, c) is
 * mask · bilinear(input[b, :, :, c], y, x) at the tap's shifted position
 * y = oy·sy − py + i·dy + Δy, x = ox·sx − px + j·dx + Δx (torchvision's
 * deformable_im2col). tfjs's gather walks element by element on these
 * backends; here the corners are found once per (pixel, tap, offset group)
 * and the channel loop runs over contiguous NHWC memory.
 *
 * The backward pass is torchvision's: the input gradient scatters each column
 * gradient into the 4 corners (col2im), the offset gradient is the column
 * gradient times ∂bilinear/∂y (or ∂x) (col2im_coord), the mask gradient the
 * column gradient times the unmodulated sample.
 */
export function sampleLoops(g: DeformGeometry, input: tf.Tensor4D, offset: tf.Tensor4D, mask: tf.Tensor4D | undefined): tf.Tensor3D {
  const { B, H, W, C, kh, kw, outH, outW, offsetGroups: G } = g;
  const K = kh * kw;
  const Cq = C / G;
  const P = B * outH * outW;
  const n = P * K * G;

  const run = (x: tf.Tensor4D, o: tf.Tensor4D, mk: tf.Tensor4D | undefined) => {
    // The image followed by one zero row (Cq values) that outside corners read.
    const src = new Float32Array(B * H * W * C + Cq);
    src.set(x.dataSync() as Float32Array);
    const off = o.dataSync() as Float32Array;
    const mod = maskInTapOrder(g, mk ? (mk.dataSync() as Float32Array) : null);
    const { at, w, ly, lx } = corners(g, off);
    const cols = new Float32Array(P * K * C);
    // Tap t's Cq columns start at t·Cq: [B, outH, outW, K, G, Cq] is [P, K, C].
    for (let t = 0; t < n; t++) {
      const s = mod ? mod[t] : 1;
      const a0 = at[4 * t], a1 = at[4 * t + 1], a2 = at[4 * t + 2], a3 = at[4 * t + 3];
      const w0 = s * w[4 * t], w1 = s * w[4 * t + 1], w2 = s * w[4 * t + 2], w3 = s * w[4 * t + 3];
      const o0 = t * Cq;
      for (let ch = 0; ch < Cq; ch++) cols[o0 + ch] = w0 * src[a0 + ch] + w1 * src[a1 + ch] + w2 * src[a2 + ch] + w3 * src[a3 + ch];
    }
    const gradFunc = (dyT: tf.Tensor3D): tf.Tensor[] => {
      const dcol = dyT.dataSync() as Float32Array;
      const dx = new Float32Array(src.length);
      const doff = new Float32Array(off.length);
      const dmask = mod ? new Float32Array(mod.length) : null;
      for (let t = 0; t < n; t++) {
        const s = mod ? mod[t] : 1;
        const a0 = at[4 * t], a1 = at[4 * t + 1], a2 = at[4 * t + 2], a3 = at[4 * t + 3];
        const u0 = w[4 * t], u1 = w[4 * t + 1], u2 = w[4 * t + 2], u3 = w[4 * t + 3];
        const fy = ly[t], fx = lx[t];
        const o0 = t * Cq;
        let gy = 0;
        let gx = 0;
        let gm = 0;
        for (let ch = 0; ch < Cq; ch++) {
          const d = dcol[o0 + ch];
          const v0 = src[a0 + ch], v1 = src[a1 + ch], v2 = src[a2 + ch], v3 = src[a3 + ch];
          // ∂/∂y and ∂/∂x of (1-ly)(1-lx)v0 + (1-ly)lx v1 + ly(1-lx)v2 + ly lx v3.
          gy += d * ((1 - fx) * (v2 - v0) + fx * (v3 - v1));
          gx += d * ((1 - fy) * (v1 - v0) + fy * (v3 - v2));
          gm += d * (u0 * v0 + u1 * v1 + u2 * v2 + u3 * v3);
          const sd = s * d;
          dx[a0 + ch] += u0 * sd;
          dx[a1 + ch] += u1 * sd;
          dx[a2 + ch] += u2 * sd;
          dx[a3 + ch] += u3 * sd;
        }
        // Back to torchvision's channel order (offsets [.., G, K, 2], mask [.., G, K]).
        const q = t % G;
        const m = ((t / G) | 0) % K;
        const p = (t / (G * K)) | 0;
        const tv = p * G * K + q * K + m;
        doff[2 * tv] = s * gy;
        doff[2 * tv + 1] = s * gx;
        if (dmask) dmask[tv] = gm;
      }
      const grads: tf.Tensor[] = [tf.tensor(dx.subarray(0, B * H * W * C), x.shape, 'float32'), tf.tensor(doff, o.shape, 'float32')];
      if (dmask && mk) grads.push(tf.tensor(dmask, mk.shape, 'float32'));
      return grads;
    };
    return { value: tf.tensor3d(cols, [P, K, C]), gradFunc };
  };

  if (mask) {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => run(args[0] as tf.Tensor4D, args[1] as tf.Tensor4D, args[2] as tf.Tensor4D));
    return op(input, offset, mask) as tf.Tensor3D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => run(args[0] as tf.Tensor4D, args[1] as tf.Tensor4D, undefined));
  return op(input, offset) as tf.Tensor3D;
}
